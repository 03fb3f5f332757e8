import type { Channel } from '../notification/channel';
import type { NotificationContent } from '../notification/notification-request';
import type { AuditOf } from './audit-log.port';
import type { ListPosition } from './notification-reader.port';

export interface NewFanout {
  source: string;
  idempotencyKey: string | null;
  requestHash: string;
  requestId: string;
  fanoutId: string;
  topicKey: string;
  channels: Channel[];
  /** Content per locale (`*` when the same for everyone); a subscriber gets their locale's, its language's, or the default's. */
  contents: Record<string, NotificationContent>;
  defaultLocale: string | null;
  category: string | null;
  metadata: Record<string, unknown>;
}

export interface FanoutProgress {
  id: string;
  requestId: string;
  topicKey: string;
  channels: Channel[];
  /** Subscribers at acceptance times channels. */
  total: number;
  created: number;
  done: boolean;
  createdAt: Date;
  finishedAt: Date | null;
}

export interface FanoutPage {
  items: FanoutProgress[];
  /** Where the next page starts (the last fan-out of this one); null on the last page. */
  next: ListPosition | null;
}

export type FanoutAcceptance =
  | { kind: 'created'; fanout: FanoutProgress }
  | { kind: 'replayed'; fanout: FanoutProgress }
  | { kind: 'key_reused'; idempotencyKey: string };

export interface FanoutBatchReport {
  fanoutId: string;
  created: number;
  done: boolean;
}

/**
 * One event to every subscriber of a topic. Accepting records the event; batches then create the
 * notifications in subscriber order, each batch committed with the cursor that follows it, so an
 * interrupted fan-out resumes where it stopped and the unique (event, channel, recipient) key keeps it exact.
 */
export abstract class TopicFanoutStore {
  /** `audit` gets a fan-out this call created (not a replay), and its entry is written in the same transaction. */
  abstract accept(fanout: NewFanout, audit?: AuditOf<FanoutProgress>): Promise<FanoutAcceptance>;
  /** Creates the next batch of the oldest unfinished fan-out no other process is working on; null when none. */
  abstract runNextBatch(batchSize: number): Promise<FanoutBatchReport | null>;
  abstract find(id: string): Promise<FanoutProgress | null>;
  /** A topic's fan-outs, newest first by (createdAt, id): keyset pagination after a position. */
  abstract listByTopic(topicKey: string, after: ListPosition | null, limit: number): Promise<FanoutPage>;
}
