import type { SendResult } from '../notification/send-result';

export interface OutgoingEmail {
  notificationId: string;
  to: string;
  subject: string;
  text?: string;
  html?: string;
  /** The notification's category, for providers that report by it (SendGrid categories). */
  category?: string;
  /** Extra message headers (e.g. List-Unsubscribe). */
  headers?: Record<string, string>;
}

export abstract class EmailProvider {
  abstract readonly name: string;
  /** True when a repeated send with the same notification id cannot deliver twice. */
  abstract readonly idempotent: boolean;
  /** Sends worth having in flight at once (a connection pool's size, say); undefined: the channel's default. */
  get maxInFlight(): number | undefined {
    return undefined;
  }
  abstract send(email: OutgoingEmail): Promise<SendResult>;
}

/** Token for the email providers in configured order (EMAIL_PROVIDERS). */
export const EMAIL_PROVIDERS = Symbol('EMAIL_PROVIDERS');
