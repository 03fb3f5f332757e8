import type { Channel } from './channel';
import type { Recipient } from './notification-request';

/** A notification claimed for sending, as the gates, the channel senders and the dispatch decisions see it. */
export interface ClaimedNotification {
  id: string;
  channel: Channel;
  recipient: Recipient;
  content: unknown;
  category: string | null;
  /** The template it was rendered from (for the metrics); absent or null for literal content. */
  template?: string | null;
  metadata: Record<string, unknown>;
  /** Provider calls made before this one. */
  attemptCount: number;
  /** Destinations (device tokens, chat destinations) already settled by earlier attempts: not sent again. */
  settledDestinations?: string[];
}
