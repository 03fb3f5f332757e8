import type { PushContent } from '../notification/notification-request';
import type { SendResult } from '../notification/send-result';
import type { DevicePlatform } from '../recipient/recipient-profile';

export interface OutgoingPush {
  notificationId: string;
  token: string;
  content: PushContent;
}

/**
 * A mobile push service. A device token belongs to one service (an FCM registration token, an APNs device
 * token), so the token's platform picks the provider: there is no fail-over between push providers.
 */
export abstract class PushProvider {
  abstract readonly name: string;
  abstract readonly platform: Extract<DevicePlatform, 'fcm' | 'apns'>;
  abstract readonly idempotent: boolean;
  /** A dead token comes back as `permanent` with `deadAddress: true`. */
  abstract send(push: OutgoingPush): Promise<SendResult>;
}

/** Token for the enabled push providers (PUSH_PROVIDERS). */
export const PUSH_PROVIDERS = Symbol('PUSH_PROVIDERS');
