import { InvalidTransitionError } from '../errors/domain-errors';

/**
 * Lifecycle of one notification (one recipient on one channel).
 *
 * queued -> sending -> sent -> delivered -> opened -> clicked
 *              |  \-> queued (transient failure, retry later; or lease expired before the provider was called)
 *              |  \-> failed (permanent failure or retries exhausted)
 *              \----> unknown (the provider may have accepted it, nobody knows: never resent blindly)
 *
 * unsubscribed: the reader used the message's unsubscribe link (footer or one-click). It proves the message
 * arrived, so it follows sent, delivered, opened or clicked; a later open or click does not overwrite it.
 */
export const NOTIFICATION_STATUSES = [
  'scheduled',
  'queued',
  'sending',
  'sent',
  'failed',
  'unknown',
  'suppressed',
  'cancelled',
  'delivered',
  'opened',
  'clicked',
  'bounced',
  'complained',
  'undelivered',
  'unsubscribed',
] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];

const TRANSITIONS: Readonly<Record<NotificationStatus, readonly NotificationStatus[]>> = {
  scheduled: ['queued', 'cancelled', 'suppressed'],
  queued: ['sending', 'suppressed', 'cancelled', 'failed'],
  // sending -> sending: re-claimed after an expired lease, when the provider was never called.
  sending: ['sending', 'sent', 'queued', 'failed', 'unknown', 'suppressed'],
  // A late answer or a provider event settles an unknown outcome either way; an operator who accepts the risk of a
  // duplicate may queue it again.
  unknown: ['sent', 'failed', 'queued', 'delivered', 'bounced', 'undelivered', 'unsubscribed'],
  sent: ['delivered', 'opened', 'clicked', 'bounced', 'complained', 'undelivered', 'unsubscribed'],
  delivered: ['opened', 'clicked', 'complained', 'unsubscribed'],
  opened: ['clicked', 'complained', 'unsubscribed'],
  clicked: ['complained', 'unsubscribed'],
  failed: ['queued'],
  suppressed: [],
  cancelled: [],
  bounced: ['complained'],
  complained: [],
  undelivered: [],
  // A spam complaint after an unsubscribe still suppresses the address.
  unsubscribed: ['complained'],
};

export function canTransition(from: NotificationStatus | null, to: NotificationStatus): boolean {
  if (from === null) return to === 'queued' || to === 'scheduled' || to === 'suppressed';
  return TRANSITIONS[from].includes(to);
}

export function assertTransition(from: NotificationStatus | null, to: NotificationStatus): void {
  if (!canTransition(from, to)) throw new InvalidTransitionError(from, to);
}

/** The statuses a notification may be in for a move to `to` to be legal; storage adapters guard their updates with it. */
export function allowedSourcesOf(to: NotificationStatus): NotificationStatus[] {
  return NOTIFICATION_STATUSES.filter((from) => TRANSITIONS[from].includes(to));
}

export function isTerminal(status: NotificationStatus): boolean {
  return TRANSITIONS[status].length === 0;
}
