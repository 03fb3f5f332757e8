import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { ShardLeaseLostError } from '../../domain/errors/domain-errors';
import { assertTransition } from '../../domain/notification/notification-status';
import type { Channel } from '../../domain/notification/channel';
import type { NotificationStatus } from '../../domain/notification/notification-status';
import {
  NotificationIntake,
  type AcceptedNotification,
  type IntakeExtras,
  type IntakeItem,
  type IntakeResult,
} from '../../domain/ports/notification-intake.port';

const INITIAL_STATUS: NotificationStatus = 'queued';
const SCHEDULED_STATUS: NotificationStatus = 'scheduled';
const statusOf = (item: IntakeItem): NotificationStatus => (item.sendAt ? SCHEDULED_STATUS : INITIAL_STATUS);

@Injectable()
export class NotificationIntakeTypeormRepository extends NotificationIntake {
  constructor(@InjectDataSource() private readonly db: DataSource) {
    super();
  }

  async acceptBatch(items: IntakeItem[], extras: IntakeExtras = {}): Promise<IntakeResult[]> {
    assertTransition(null, INITIAL_STATUS);
    assertTransition(null, SCHEDULED_STATUS);
    if (!extras.checkpoint && !extras.rejected?.length) return this.insert(this.db.manager, items);
    // A stream batch: its notifications, rejected events and shard checkpoint commit together, or not at all.
    return this.db.transaction(async (tx) => {
      await this.writeExtras(tx, extras);
      return this.insert(tx, items);
    });
  }

  async forgetIdempotencyKeys(acceptedBefore: Date, limit: number): Promise<number> {
    // The request rows stay (notifications reference them); only the key is released for reuse.
    const rows: Array<{ n: number }> = await this.db.query(
      `WITH released AS (
         UPDATE notification_requests SET idempotency_key = NULL
         WHERE id IN (SELECT id FROM notification_requests WHERE idempotency_key IS NOT NULL AND created_at < $1
                      ORDER BY created_at LIMIT $2 FOR UPDATE SKIP LOCKED)
         RETURNING id
       )
       SELECT count(*)::int AS n FROM released`,
      [acceptedBefore.toISOString(), limit],
    );
    return rows[0].n;
  }

  private async writeExtras(tx: EntityManager, { rejected, checkpoint }: IntakeExtras): Promise<void> {
    if (checkpoint) {
      // Fencing: a process whose lease was taken over writes nothing, so two owners never both commit a batch.
      const [{ n }]: Array<{ n: number }> = await tx.query(
        `WITH moved AS (
           UPDATE stream_shards
           SET checkpoint = coalesce($4, checkpoint), ended = ended OR $5, ended_at = CASE WHEN $5 THEN now() ELSE ended_at END, updated_at = now()
           WHERE stream_arn = $1 AND shard_id = $2 AND lease_owner = $3
           RETURNING 1
         ) SELECT count(*)::int AS n FROM moved`,
        [checkpoint.streamArn, checkpoint.shardId, checkpoint.owner, checkpoint.sequenceNumber, checkpoint.ended],
      );
      if (n === 0) throw new ShardLeaseLostError(checkpoint.streamArn, checkpoint.shardId);
    }
    if (rejected?.length) {
      await tx.query(
        `INSERT INTO rejected_events (source, event_id, rule, reason, payload)
         SELECT r.source, r.event_id, coalesce(r.rule, ''), r.reason, r.payload
         FROM jsonb_to_recordset($1::jsonb) AS r(source text, event_id text, rule text, reason text, payload jsonb)
         ON CONFLICT DO NOTHING`,
        [JSON.stringify(rejected.map((r) => ({ source: r.source, event_id: r.eventId, rule: r.rule, reason: r.reason, payload: r.payload ?? null })))],
      );
    }
  }

  private async insert(db: EntityManager, items: IntakeItem[]): Promise<IntakeResult[]> {
    if (items.length === 0) return [];
    // One statement, so one round trip and one implicit transaction: the requests, then the notifications
    // of the requests that were inserted, their history and their outbox entries. A request whose
    // idempotency key is already taken (by an earlier request, or one committing concurrently, which this
    // statement waits for) is not inserted, and neither are its notifications. Keys are taken in one order,
    // so that two batches sharing keys wait for each other instead of deadlocking.
    const requests = items.map((i) => ({
      id: i.requestId,
      source: i.source,
      idempotency_key: i.idempotencyKey,
      request_hash: i.requestHash,
      category: i.category,
    }));
    const notifications = items.flatMap((i) =>
      i.drafts.map((d) => ({
        id: d.id,
        request_id: i.requestId,
        channel: d.channel,
        recipient_key: d.recipientKey,
        recipient: d.recipient,
        content: d.content,
        category: i.category,
        template: i.template,
        template_version: i.templateVersion ?? null,
        template_locale: i.templateLocales?.[d.channel] ?? null,
        metadata: i.metadata,
        status: statusOf(i),
        send_at: i.sendAt?.toISOString() ?? null,
      })),
    );
    const inserted: Array<{ id: string }> = await db.query(
      `WITH requests AS (
         INSERT INTO notification_requests (id, source, idempotency_key, request_hash, category)
         SELECT r.id, r.source, r.idempotency_key, r.request_hash, r.category
         FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, source text, idempotency_key text, request_hash text, category text)
         ORDER BY r.source, r.idempotency_key
         ON CONFLICT (source, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
         RETURNING id
       ), created AS (
         INSERT INTO notifications (id, request_id, channel, recipient_key, recipient, content, category, template, template_version, template_locale,
                                    metadata, status, next_attempt_at)
         SELECT n.id, n.request_id, n.channel, n.recipient_key, n.recipient, n.content, n.category, n.template, n.template_version, n.template_locale,
                coalesce(n.metadata, '{}'::jsonb), n.status, n.send_at
         FROM jsonb_to_recordset($2::jsonb) AS n(id uuid, request_id uuid, channel text, recipient_key text, recipient jsonb,
                                                content jsonb, category text, template text, template_version int, template_locale text,
                                                metadata jsonb, status text, send_at timestamptz)
         WHERE n.request_id IN (SELECT id FROM requests)
         RETURNING id, channel, status, next_attempt_at
       ), history AS (
         INSERT INTO notification_status_history (notification_id, from_status, to_status, reason)
         SELECT id, NULL, status,
                CASE WHEN status = $3 THEN 'accepted'
                     ELSE 'accepted; scheduled for ' || to_char(next_attempt_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') END
         FROM created
       ), queued AS (
         -- Scheduled notifications get their outbox entry when the scheduler releases them.
         INSERT INTO outbox (notification_id, channel) SELECT id, channel FROM created WHERE status = $3
       )
       SELECT id FROM requests`,
      [JSON.stringify(requests), JSON.stringify(notifications), INITIAL_STATUS],
    );
    const created = new Set(inserted.map((r) => r.id));
    const replays = items.filter((i) => !created.has(i.requestId));
    const existing = replays.length ? await this.findExisting((sql, params) => db.query(sql, params), replays) : new Map<string, ExistingRequest>();
    return items.map((item): IntakeResult => {
      if (created.has(item.requestId)) {
        return {
          kind: 'created',
          requestId: item.requestId,
          notifications: item.drafts.map((d) => ({ id: d.id, channel: d.channel, status: statusOf(item) })),
        };
      }
      const found = existing.get(`${item.source}\u0000${item.idempotencyKey}`);
      if (!found || found.requestHash !== item.requestHash) return { kind: 'key_reused', idempotencyKey: item.idempotencyKey ?? '' };
      return { kind: 'replayed', requestId: found.requestId, notifications: found.notifications };
    });
  }

  private async findExisting(
    query: (sql: string, params: unknown[]) => Promise<ExistingRow[]>,
    items: IntakeItem[],
  ): Promise<Map<string, ExistingRequest>> {
    const rows = await query(
      `SELECT r.id AS request_id, r.source, r.idempotency_key, r.request_hash, n.id, n.channel, n.status
       FROM notification_requests r
       JOIN (SELECT DISTINCT source, idempotency_key FROM jsonb_to_recordset($1::jsonb) AS k(source text, idempotency_key text)) k
         ON r.source = k.source AND r.idempotency_key = k.idempotency_key
       LEFT JOIN notifications n ON n.request_id = r.id
       ORDER BY n.id`,
      [JSON.stringify(items.map((i) => ({ source: i.source, idempotency_key: i.idempotencyKey })))],
    );
    const out = new Map<string, ExistingRequest>();
    for (const row of rows) {
      const key = `${row.source}\u0000${row.idempotency_key}`;
      const entry = out.get(key) ?? { requestId: row.request_id, requestHash: row.request_hash, notifications: [] };
      if (row.id) entry.notifications.push({ id: row.id, channel: row.channel as Channel, status: row.status as NotificationStatus });
      out.set(key, entry);
    }
    return out;
  }
}

interface ExistingRow {
  request_id: string;
  source: string;
  idempotency_key: string;
  request_hash: string;
  id: string | null;
  channel: string;
  status: string;
}

interface ExistingRequest {
  requestId: string;
  requestHash: string;
  notifications: AcceptedNotification[];
}
