import type { WebPushContent } from '../notification/notification-request';
import type { SendResult } from '../notification/send-result';

export interface WebPushSubscription {
  endpoint: string;
  keys: { p256dh: string; auth: string };
}

export interface OutgoingWebPush {
  notificationId: string;
  subscription: WebPushSubscription;
  content: WebPushContent;
}

/** Sends to a browser's push service. An expired subscription comes back as `permanent` with `deadAddress: true`. */
export abstract class WebPushProvider {
  abstract readonly name: string;
  abstract readonly idempotent: boolean;
  abstract send(push: OutgoingWebPush): Promise<SendResult>;
}
