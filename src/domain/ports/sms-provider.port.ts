import type { SendResult } from '../notification/send-result';

export interface OutgoingSms {
  notificationId: string;
  /** E.164, normalised before it reaches a provider. */
  to: string;
  text: string;
}

export abstract class SmsProvider {
  abstract readonly name: string;
  /** True when a repeated send with the same notification id cannot deliver twice. */
  abstract readonly idempotent: boolean;
  abstract send(sms: OutgoingSms): Promise<SendResult>;
}

/** Token for the SMS providers in configured order (SMS_PROVIDERS). */
export const SMS_PROVIDERS = Symbol('SMS_PROVIDERS');
