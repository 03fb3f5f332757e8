import type { Channel } from '../notification/channel';

export interface SentCountQuery {
  /** The notification about to be sent: its recipient is the one counted. */
  notificationId: string;
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
  /** One count per query (queries whose notification does not exist are absent). */
  abstract countSent(queries: SentCountQuery[]): Promise<SentCount[]>;
}
