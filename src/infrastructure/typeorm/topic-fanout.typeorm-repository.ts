import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { assertTransition } from '../../domain/notification/notification-status';
import type { AuditOf } from '../../domain/ports/audit-log.port';
import type { ListPosition } from '../../domain/ports/notification-reader.port';
import {
  TopicFanoutStore,
  type FanoutAcceptance,
  type FanoutBatchReport,
  type FanoutPage,
  type FanoutProgress,
  type NewFanout,
} from '../../domain/ports/topic-fanout.port';
import { writeAuditEntry } from './audit-log.typeorm-repository';

type Row = Record<string, any>;

function toProgress(r: Row): FanoutProgress {
  return {
    id: r.id,
    requestId: r.request_id,
    topicKey: r.topic_key,
    channels: r.channels,
    total: r.total,
    created: r.created_count,
    done: r.done,
    createdAt: r.created_at,
    finishedAt: r.finished_at,
  };
}

/**
 * One page of a topic's fan-outs, newest first: a backward range scan of `topic_fanouts_recent
 * (topic_key, created_at, id)` from the cursor. The position is the creation time to the microsecond, as the
 * activity feed's cursor is.
 */
export function topicFanoutsQuery(topicKey: string, after: ListPosition | null, limit: number): { sql: string; params: unknown[] } {
  return {
    sql: `SELECT id, request_id, topic_key, channels, total, created_count, done, created_at, finished_at,
                 to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS position
          FROM topic_fanouts
          WHERE topic_key = $1 ${after === null ? '' : 'AND (created_at, id) < ($3::timestamptz, $4::uuid)'}
          ORDER BY created_at DESC, id DESC LIMIT $2`,
    params: after === null ? [topicKey, limit + 1] : [topicKey, limit + 1, after.createdAt, after.id],
  };
}

/**
 * A UUID version 7 made in SQL, as `newId()` makes them for intake: the time in milliseconds in the first 48 bits,
 * then random bits with the version and variant set. Time-ordered ids put the fan-out's rows at the end of the
 * notifications' primary-key index (and of the history's and the outbox's notification_id indexes) instead of at
 * random leaf pages throughout it.
 */
const UUID_V7 = `encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid()) placing substring(int8send(floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint) FROM 3) FROM 1 FOR 6), 52, 1), 53, 1), 'hex')::uuid`;

@Injectable()
export class TopicFanoutTypeormRepository extends TopicFanoutStore {
  constructor(@InjectDataSource() private readonly db: DataSource) {
    super();
  }

  async accept(f: NewFanout, audit?: AuditOf<FanoutProgress>): Promise<FanoutAcceptance> {
    return this.db.transaction(async (tx): Promise<FanoutAcceptance> => {
      const inserted: Row[] = await tx.query(
        `INSERT INTO notification_requests (id, source, idempotency_key, request_hash, category) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (source, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
         RETURNING id`,
        [f.requestId, f.source, f.idempotencyKey, f.requestHash, f.category],
      );
      if (inserted.length === 1) {
        // The subscribers at acceptance are the audience; later subscriptions do not join a running fan-out.
        const rows: Row[] = await tx.query(
          `INSERT INTO topic_fanouts (id, request_id, topic_key, channels, contents, default_locale, category, metadata, subscribed_before, total)
           VALUES ($1, $2, $3, $4::text[], $5::jsonb, $6, $7, $8::jsonb, now(),
                   cardinality($4::text[]) * (SELECT count(*) FROM topic_subscriptions WHERE topic_key = $3 AND created_at <= now()))
           RETURNING *`,
          [f.fanoutId, f.requestId, f.topicKey, f.channels, JSON.stringify(f.contents), f.defaultLocale, f.category, JSON.stringify(f.metadata)],
        );
        const fanout = toProgress(rows[0]);
        const entry = audit?.(fanout);
        if (entry) await writeAuditEntry(tx, entry);
        return { kind: 'created', fanout };
      }
      const existing: Row[] = await tx.query(
        `SELECT r.request_hash, f.* FROM notification_requests r LEFT JOIN topic_fanouts f ON f.request_id = r.id
         WHERE r.source = $1 AND r.idempotency_key = $2`,
        [f.source, f.idempotencyKey],
      );
      const found = existing[0];
      if (!found || found.request_hash !== f.requestHash || !found.id) return { kind: 'key_reused', idempotencyKey: f.idempotencyKey ?? '' };
      return { kind: 'replayed', fanout: toProgress(found) };
    });
  }

  async runNextBatch(batchSize: number): Promise<FanoutBatchReport | null> {
    assertTransition(null, 'queued');
    return this.db.transaction(async (tx) => {
      // The row lock is held until this batch commits: another process takes another fan-out or waits its turn.
      const [f]: Row[] = await tx.query(`SELECT * FROM topic_fanouts WHERE NOT done ORDER BY created_at, id LIMIT 1 FOR UPDATE SKIP LOCKED`);
      if (!f) return null;
      const [batch]: Row[] = await tx.query(
        `WITH batch AS (
           SELECT user_id FROM topic_subscriptions
           WHERE topic_key = $1 AND created_at <= $2 AND ($3::text IS NULL OR user_id > $3)
           ORDER BY user_id LIMIT $4
         ), located AS MATERIALIZED (
           -- A lookup by primary key per subscriber: as a join, the planner hashed the whole recipients table
           -- for every batch, so a fan-out's cost grew with the square of its audience.
           SELECT b.user_id, (SELECT r.locale FROM recipients r WHERE r.user_id = b.user_id) AS locale FROM batch b
         ), targets AS (
           SELECT l.user_id, ch.channel,
                  coalesce($5::jsonb -> l.locale, $5::jsonb -> split_part(l.locale, '-', 1), $5::jsonb -> $6::text, $5::jsonb -> '*') -> ch.channel AS content
           FROM located l CROSS JOIN unnest($7::text[]) AS ch(channel)
         ), created AS (
           INSERT INTO notifications (id, request_id, channel, recipient_key, recipient, content, category, metadata, status)
           SELECT ${UUID_V7}, $8, t.channel, t.user_id, jsonb_build_object('userId', t.user_id), t.content, $9, $10::jsonb, 'queued'
           FROM targets t
           ON CONFLICT ON CONSTRAINT notifications_one_per_recipient_channel DO NOTHING
           RETURNING id, channel
         ), history AS (
           INSERT INTO notification_status_history (notification_id, from_status, to_status, reason)
           SELECT id, NULL, 'queued', 'accepted (topic fan-out)' FROM created
         ), queued AS (
           INSERT INTO outbox (notification_id, channel) SELECT id, channel FROM created
         )
         SELECT (SELECT count(*)::int FROM batch) AS taken, (SELECT max(user_id) FROM batch) AS last_user_id,
                (SELECT count(*)::int FROM created) AS created`,
        [f.topic_key, f.subscribed_before, f.cursor_user_id, batchSize, JSON.stringify(f.contents), f.default_locale, f.channels, f.request_id, f.category, JSON.stringify(f.metadata)],
      );
      const done = batch.taken < batchSize;
      await tx.query(
        `UPDATE topic_fanouts SET cursor_user_id = coalesce($2, cursor_user_id), created_count = created_count + $3, done = $4,
           finished_at = CASE WHEN $4 THEN now() END, updated_at = now()
         WHERE id = $1`,
        [f.id, batch.last_user_id, batch.created, done],
      );
      return { fanoutId: f.id as string, created: batch.created as number, done };
    });
  }

  async find(id: string): Promise<FanoutProgress | null> {
    const rows: Row[] = await this.db.query(`SELECT * FROM topic_fanouts WHERE id = $1`, [id]);
    return rows[0] ? toProgress(rows[0]) : null;
  }

  async listByTopic(topicKey: string, after: ListPosition | null, limit: number): Promise<FanoutPage> {
    const { sql, params } = topicFanoutsQuery(topicKey, after, limit);
    const rows: Row[] = await this.db.query(sql, params);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return { items: page.map(toProgress), next: rows.length > limit ? { createdAt: last.position as string, id: last.id as string } : null };
  }
}
