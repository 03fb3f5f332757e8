import type { Channel } from '../notification/channel';

export interface SentCountQuery {
  /** The notification about to be sent: its recipient is the one counted. */
  notificationId: string;
  /** `*`: every category, and notifications without one. */
  category: string;
  /** `*`: every channel. */
  channel: Channel | '*';
  since: Date;
}

export interface SentCount {
  notificationId: string;
  /** Identifies the recipient across notifications (so one batch can share a quota). */
  recipientKey: string;
  sent: number;
  oldestSentAt: Date | null;
}

/** What was already sent to a recipient: the input of politeness limits. */
export abstract class SendHistory {
  /** One count per query, in the order of the queries (null where the notification does not exist). */
  abstract countSent(queries: SentCountQuery[]): Promise<Array<SentCount | null>>;
}
