import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { assertTransition } from '../../domain/notification/notification-status';
import type { Channel } from '../../domain/notification/channel';
import type { NotificationStatus } from '../../domain/notification/notification-status';
import {
  NotificationIntake,
  type AcceptedNotification,
  type IntakeItem,
  type IntakeResult,
} from '../../domain/ports/notification-intake.port';

const INITIAL_STATUS: NotificationStatus = 'queued';

@Injectable()
export class NotificationIntakeTypeormRepository extends NotificationIntake {
  constructor(@InjectDataSource() private readonly db: DataSource) {
    super();
  }

  async acceptBatch(items: IntakeItem[]): Promise<IntakeResult[]> {
    if (items.length === 0) return [];
    assertTransition(null, INITIAL_STATUS);
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
        metadata: i.metadata,
      })),
    );
    const inserted: Array<{ id: string }> = await this.db.query(
      `WITH requests AS (
         INSERT INTO notification_requests (id, source, idempotency_key, request_hash, category)
         SELECT r.id, r.source, r.idempotency_key, r.request_hash, r.category
         FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, source text, idempotency_key text, request_hash text, category text)
         ORDER BY r.source, r.idempotency_key
         ON CONFLICT (source, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
         RETURNING id
       ), created AS (
         INSERT INTO notifications (id, request_id, channel, recipient_key, recipient, content, category, metadata, status)
         SELECT n.id, n.request_id, n.channel, n.recipient_key, n.recipient, n.content, n.category, coalesce(n.metadata, '{}'::jsonb), $3
         FROM jsonb_to_recordset($2::jsonb) AS n(id uuid, request_id uuid, channel text, recipient_key text, recipient jsonb,
                                                content jsonb, category text, metadata jsonb)
         WHERE n.request_id IN (SELECT id FROM requests)
         RETURNING id, channel
       ), history AS (
         INSERT INTO notification_status_history (notification_id, from_status, to_status, reason)
         SELECT id, NULL, $3, 'accepted' FROM created
       ), queued AS (
         INSERT INTO outbox (notification_id, channel) SELECT id, channel FROM created
       )
       SELECT id FROM requests`,
      [JSON.stringify(requests), JSON.stringify(notifications), INITIAL_STATUS],
    );
    const created = new Set(inserted.map((r) => r.id));
    const replays = items.filter((i) => !created.has(i.requestId));
    const existing = replays.length ? await this.findExisting((sql, params) => this.db.query(sql, params), replays) : new Map<string, ExistingRequest>();
    return items.map((item): IntakeResult => {
      if (created.has(item.requestId)) {
        return {
          kind: 'created',
          requestId: item.requestId,
          notifications: item.drafts.map((d) => ({ id: d.id, channel: d.channel, status: INITIAL_STATUS })),
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
