import type { NotificationDraft } from '../notification/notification-request';
import type { NotificationStatus } from '../notification/notification-status';
import type { Channel } from '../notification/channel';
import type { RejectedEvent } from '../event-rules/rejected-event';
import type { ShardCheckpoint } from './shard-leases.port';

export interface IntakeItem {
  /** Who is asking; idempotency keys are unique per source (an API key, a stream, a queue). */
  source: string;
  idempotencyKey: string | null;
  /** Fingerprint of the request body: the same key with another body is refused. */
  requestHash: string;
  requestId: string;
  drafts: Array<NotificationDraft & { id: string }>;
  category: string | null;
  /** The key of the template the content was rendered from, null for literal content. */
  template: string | null;
  /** The version of that template, and per channel the locale its variant came from (after fallback). */
  templateVersion?: number | null;
  templateLocales?: Partial<Record<Channel, string>>;
  metadata: Record<string, unknown>;
  /** Set for a scheduled send: the notifications start `scheduled` and are released when due. */
  sendAt?: Date | null;
}

export interface AcceptedNotification {
  id: string;
  channel: Channel;
  status: NotificationStatus;
}

export type IntakeResult =
  | { kind: 'created'; requestId: string; notifications: AcceptedNotification[] }
  | { kind: 'replayed'; requestId: string; notifications: AcceptedNotification[] }
  | { kind: 'key_reused'; idempotencyKey: string };

/** Written in the same transaction as the batch (event sources): what was refused, and how far a shard was read. */
export interface IntakeExtras {
  rejected?: RejectedEvent[];
  checkpoint?: ShardCheckpoint;
}

/** Durable acceptance: when acceptBatch resolves, every created notification and its outbox entry are committed. */
export abstract class NotificationIntake {
  abstract acceptBatch(items: IntakeItem[], extras?: IntakeExtras): Promise<IntakeResult[]>;
  /** Releases idempotency keys of requests accepted before `acceptedBefore` (at most `limit`); returns how many. */
  abstract forgetIdempotencyKeys(acceptedBefore: Date, limit: number): Promise<number>;
}
