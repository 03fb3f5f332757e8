import type { Channel } from '../notification/channel';

export interface OutboxEntry {
  id: string;
  notificationId: string;
  channel: Channel;
}

export interface PublishReport {
  publishedIds: string[];
  failedIds: string[];
}

/** Notifications waiting to be handed to their channel's queue. */
export abstract class Outbox {
  /**
   * Locks up to `limit` due entries (skipping ones another relay holds), lets `publish` hand them on,
   * then removes the published ones and postpones the failed ones, in the same transaction.
   * Returns how many entries were published.
   */
  abstract drain(limit: number, publish: (entries: OutboxEntry[]) => Promise<PublishReport>): Promise<number>;
  /**
   * The same, restricted to entries that have been due for longer than `dueForMs`: the ones a healthy
   * relay would already have published (it is down, or their publish keeps failing).
   */
  abstract drainStuck(dueForMs: number, limit: number, publish: (entries: OutboxEntry[]) => Promise<PublishReport>): Promise<number>;
}

/** Hands notifications to the per-channel work queues. */
export abstract class DispatchQueue {
  abstract publish(entries: OutboxEntry[]): Promise<PublishReport>;
}
