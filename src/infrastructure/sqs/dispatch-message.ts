import type { Channel } from '../../domain/notification/channel';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** More ids than this in one message is not something Herald writes. */
export const MAX_IDS_PER_MESSAGE = 100;

/**
 * The body of a channel-queue message: the notifications to send, by id. One message names up to
 * RELAY_IDS_PER_MESSAGE notifications, so that a receive of ten messages brings many notifications and
 * every queue call, claim and status update is shared by all of them.
 */
export interface DispatchMessage {
  channel: Channel;
  notificationIds: string[];
}

export function dispatchMessageBody(channel: Channel, notificationIds: string[]): string {
  return JSON.stringify({ channel, notificationIds } satisfies DispatchMessage);
}

/**
 * The notifications a dispatch message names, or null when it is not a dispatch message for this channel.
 * The single-notification form `{"notificationId": …, "channel": …}` is read too.
 */
export function notificationIdsOf(body: string | undefined, channel: Channel): string[] | null {
  let parsed: { notificationId?: unknown; notificationIds?: unknown; channel?: unknown };
  try {
    parsed = JSON.parse(body ?? '') as typeof parsed;
  } catch {
    return null;
  }
  if (parsed === null || typeof parsed !== 'object' || parsed.channel !== channel) return null;
  const ids = Array.isArray(parsed.notificationIds) ? (parsed.notificationIds as unknown[]) : [parsed.notificationId];
  if (ids.length === 0 || ids.length > MAX_IDS_PER_MESSAGE) return null;
  return ids.every((id): id is string => typeof id === 'string' && UUID.test(id)) ? ids : null;
}
