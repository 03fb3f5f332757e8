import type { Channel } from '../notification/channel';
import type { NotificationStatus } from '../notification/notification-status';

/** What a provider (or Herald's own tracking and unsubscribe links) reported about a message after it was accepted. */
export const DELIVERY_EVENT_TYPES = ['delivered', 'opened', 'clicked', 'bounced', 'complained', 'undelivered', 'unsubscribed'] as const;
export type DeliveryEventType = (typeof DELIVERY_EVENT_TYPES)[number];

export interface DeliveryEvent {
  provider: string;
  /** The provider's id for this event: a second delivery of the same event is ignored. */
  eventId: string;
  /** Herald's notification id when the provider echoes it (header, custom argument), else null. */
  notificationId: string | null;
  /** Otherwise the notification is found by the provider's message id. */
  providerMessageId: string | null;
  channel: Channel;
  type: DeliveryEventType;
  /** For bounces: a permanent (hard) bounce. Soft bounces are recorded but change nothing. */
  permanent: boolean;
  /** The address the event is about (for the suppression list). */
  address: string | null;
  occurredAt: Date;
  detail: string | null;
}

/** The status an event moves its notification to, if any. The state machine decides whether it may. */
export function statusAfter(event: DeliveryEvent): NotificationStatus | null {
  if (event.type === 'bounced' && !event.permanent) return null;
  return event.type;
}

/** A hard bounce or a complaint stops future sends to that address. */
export function suppressesAddress(event: DeliveryEvent): boolean {
  return event.address !== null && ((event.type === 'bounced' && event.permanent) || event.type === 'complained');
}
