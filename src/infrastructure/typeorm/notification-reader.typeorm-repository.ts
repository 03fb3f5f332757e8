import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Recipient } from '../../domain/notification/notification-request';
import {
  NotificationReader,
  type DestinationView,
  type ListPosition,
  type NotificationFeedFilter,
  type NotificationPage,
  type NotificationView,
  type SentContentView,
  type TrackedEmailView,
} from '../../domain/ports/notification-reader.port';
import { maskSecret } from '../../domain/recipient/secret-mask';
import { FieldCipher } from '../crypto/field-cipher';
import { ATTEMPT_ID_OF } from './delivery-ledger.typeorm-repository';
import { SentContentCodec } from './sent-content.codec';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

@Injectable()
export class NotificationReaderTypeormRepository extends NotificationReader {
  private readonly sentContent: SentContentCodec;

  constructor(@InjectDataSource() private readonly db: DataSource, cipher: FieldCipher) {
    super();
    this.sentContent = new SentContentCodec(cipher);
  }

  async findSentContent(id: string): Promise<SentContentView | null> {
    if (!UUID.test(id)) return null;
    const rows: Array<Record<string, any>> = await this.db.query(
      `SELECT id, channel, status, template, template_version, template_locale, sent_content FROM notifications WHERE id = $1`,
      [id],
    );
    const n = rows[0];
    if (!n) return null;
    return {
      notificationId: n.id,
      channel: n.channel,
      status: n.status,
      template: n.template ? { key: n.template, version: n.template_version, locale: n.template_locale } : null,
      content: n.sent_content === null ? null : this.sentContent.open(n.id, n.sent_content),
    };
  }

  async findTrackedEmail(id: string): Promise<TrackedEmailView | null> {
    if (!UUID.test(id)) return null;
    const rows: Array<{ created_at: Date; html: string | null }> = await this.db.query(
      `SELECT created_at, content->>'html' AS html FROM notifications WHERE id = $1 AND channel = 'email'`,
      [id],
    );
    return rows[0] ? { createdAt: new Date(rows[0].created_at), html: rows[0].html } : null;
  }

  async listFeed(filter: NotificationFeedFilter, limit: number, after: ListPosition | null): Promise<NotificationPage> {
    const { sql, params } = feedQuery(filter, limit + 1, after);
    const rows: Array<Record<string, any>> = await this.db.query(sql, params);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map((n) => ({
        id: n.id,
        channel: n.channel,
        category: n.category,
        template: n.template,
        provider: n.provider,
        recipient: redactRecipient(n.recipient as Recipient),
        metadata: n.metadata,
        status: n.status,
        statusReason: n.status_reason,
        attemptCount: n.attempt_count,
        createdAt: n.created_at,
        updatedAt: n.updated_at,
      })),
      next: rows.length > limit ? { createdAt: last.position, id: last.id } : null,
    };
  }

  async findById(id: string): Promise<NotificationView | null> {
    if (!UUID.test(id)) return null;
    const rows: Array<Record<string, any>> = await this.db.query(
      `SELECT n.*,
         coalesce((SELECT json_agg(a ORDER BY a.attempt_number) FROM (
           SELECT id, attempt_number, provider, outcome, error_code, error_message, provider_message_id, started_at, finished_at, duration_ms
           FROM notification_attempts WHERE notification_id = n.id
           UNION ALL
           -- An attempt under way has no row yet (it is written with its outcome): the notification's row records it.
           SELECT ${ATTEMPT_ID_OF('n.id', 'n.attempt_count')}, n.attempt_count, NULL, 'in_flight', NULL, NULL, NULL, n.provider_call_started_at, NULL, NULL
           WHERE n.status = 'sending' AND n.provider_call_started_at IS NOT NULL
             AND NOT EXISTS (SELECT 1 FROM notification_attempts w WHERE w.notification_id = n.id AND w.attempt_number = n.attempt_count)
         ) a), '[]') AS attempts,
         coalesce((SELECT json_agg(d ORDER BY d.id) FROM notification_destination_sends d WHERE d.notification_id = n.id), '[]') AS destinations,
         coalesce((SELECT json_agg(h ORDER BY h.id) FROM notification_status_history h WHERE h.notification_id = n.id), '[]') AS history
       FROM notifications n WHERE n.id = $1`,
      [id],
    );
    const n = rows[0];
    if (!n) return null;
    const date = (v: string | null) => (v ? new Date(v) : null);
    return {
      id: n.id,
      requestId: n.request_id,
      channel: n.channel,
      recipient: redactRecipient(n.recipient as Recipient),
      category: n.category,
      metadata: n.metadata,
      status: n.status,
      statusReason: n.status_reason,
      attemptCount: n.attempt_count,
      nextAttemptAt: n.next_attempt_at,
      provider: n.provider,
      providerMessageId: n.provider_message_id,
      createdAt: n.created_at,
      updatedAt: n.updated_at,
      sentAt: n.sent_at,
      attempts: (n.attempts as Array<Record<string, any>>).map((a) => ({
        attemptNumber: a.attempt_number,
        provider: a.provider,
        outcome: a.outcome,
        errorCode: a.error_code,
        errorMessage: a.error_message,
        providerMessageId: a.provider_message_id,
        startedAt: new Date(a.started_at),
        finishedAt: date(a.finished_at),
        durationMs: a.duration_ms,
        ...destinationsOf(n.destinations as Array<Record<string, any>>, a.id as string),
      })),
      history: (n.history as Array<Record<string, any>>).map((h) => ({
        from: h.from_status,
        to: h.to_status,
        reason: h.reason,
        at: new Date(h.created_at),
      })),
    };
  }
}

/** Fanned-out attempts list their destinations; other attempts have none and show no field. */
function destinationsOf(rows: Array<Record<string, any>>, attemptId: string): { destinations?: DestinationView[] } {
  const mine = rows.filter((d) => d.attempt_id === attemptId);
  if (mine.length === 0) return {};
  return {
    destinations: mine.map((d) => ({
      destination: d.destination,
      provider: d.provider,
      outcome: d.outcome,
      errorCode: d.error_code,
      errorMessage: d.error_message,
      providerMessageId: d.provider_message_id,
    })),
  };
}

/** Chat webhook URLs and device tokens are capabilities: reads show them masked, as profile reads do. */
function redactRecipient(recipient: Recipient): Recipient {
  return {
    ...recipient,
    ...(recipient.chatDestinations ? { chatDestinations: recipient.chatDestinations.map((d) => ({ ...d, url: maskSecret(d.url) })) } : {}),
    ...(recipient.deviceTokens ? { deviceTokens: recipient.deviceTokens.map((t) => ({ token: maskSecret(t.token), platform: t.platform })) } : {}),
  };
}

/**
 * The feed's statement. Each condition is written the way its index is (docs/performance.md, "Activity feed"):
 * the recipient fields as the expressions `recipient->>'userId'` etc., metadata as containment (`@>`, GIN) with the
 * partial index's `metadata <> '{}'`, and fan-outs and idempotency keys through the notification's request.
 */
export function feedQuery(filter: NotificationFeedFilter, limit: number, after: ListPosition | null): { sql: string; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  const bind = (value: unknown, cast = ''): string => {
    params.push(value);
    return `$${params.length}${cast}`;
  };
  if (filter.userId !== undefined) where.push(`n.recipient->>'userId' = ${bind(filter.userId)}`);
  if (filter.email !== undefined) where.push(`n.recipient->>'email' = ${bind(filter.email)}`);
  if (filter.phone !== undefined) where.push(`n.recipient->>'phone' = ${bind(filter.phone)}`);
  if (filter.status !== undefined) where.push(`n.status = ${bind(filter.status)}`);
  if (filter.channel !== undefined) where.push(`n.channel = ${bind(filter.channel)}`);
  if (filter.category !== undefined) where.push(`n.category = ${bind(filter.category)}`);
  if (filter.provider !== undefined) where.push(`n.provider = ${bind(filter.provider)}`);
  if (filter.template !== undefined) where.push(`n.template = ${bind(filter.template)}`);
  if (filter.topic !== undefined) where.push(`n.request_id IN (SELECT f.request_id FROM topic_fanouts f WHERE f.topic_key = ${bind(filter.topic)})`);
  if (filter.fanoutId !== undefined) where.push(`n.request_id IN (SELECT f.request_id FROM topic_fanouts f WHERE f.id = ${bind(filter.fanoutId, '::uuid')})`);
  if (filter.idempotencyKey !== undefined) {
    where.push(`n.request_id IN (SELECT r.id FROM notification_requests r WHERE r.idempotency_key = ${bind(filter.idempotencyKey)})`);
  }
  if (filter.metadata !== undefined) {
    where.push(`n.metadata @> ${bind(JSON.stringify(filter.metadata), '::jsonb')}`);
    // The index's own predicate, as a literal: the planner uses a partial index only for a query that states it.
    // Implied by a non-empty filter; an empty one matches every notification, with or without metadata.
    if (Object.keys(filter.metadata).length > 0) where.push(`n.metadata <> '{}'::jsonb`);
  }
  if (filter.createdFrom !== undefined) where.push(`n.created_at >= ${bind(filter.createdFrom.toISOString(), '::timestamptz')}`);
  if (filter.createdTo !== undefined) where.push(`n.created_at < ${bind(filter.createdTo.toISOString(), '::timestamptz')}`);
  if (after) where.push(`(n.created_at, n.id) < (${bind(after.createdAt, '::timestamptz')}, ${bind(after.id, '::uuid')})`);
  const sql = `SELECT id, channel, category, template, provider, recipient, metadata, status, status_reason, attempt_count, created_at, updated_at,
                      to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS position
               FROM notifications n ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
               ORDER BY n.created_at DESC, n.id DESC LIMIT ${bind(limit)}`;
  return { sql, params };
}
