import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { allowedSourcesOf } from '../../domain/notification/notification-status';
import type { AuditOf } from '../../domain/ports/audit-log.port';
import {
  FailedNotifications,
  type FailedNotificationFilter,
  type FailedNotificationView,
  type NotificationSummary,
  type RedriveSelection,
} from '../../domain/ports/failed-notifications.port';
import { writeAuditEntry } from './audit-log.typeorm-repository';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The filter as SQL conditions on `n` (notifications) and `a` (its last attempt); parameters from $1. */
function whereOf(filter: FailedNotificationFilter, params: unknown[]): string {
  const conditions = [`n.status = 'failed'`];
  const add = (sql: (p: string) => string, value: unknown) => {
    params.push(value);
    conditions.push(sql(`$${params.length}`));
  };
  if (filter.channel) add((p) => `n.channel = ${p}`, filter.channel);
  if (filter.category) add((p) => `n.category = ${p}`, filter.category);
  if (filter.errorCode) add((p) => `a.error_code = ${p}`, filter.errorCode);
  if (filter.failedAfter) add((p) => `n.updated_at > ${p}`, filter.failedAfter.toISOString());
  if (filter.failedBefore) add((p) => `n.updated_at < ${p}`, filter.failedBefore.toISOString());
  return conditions.join(' AND ');
}

const LAST_ATTEMPT = `LEFT JOIN LATERAL (
  SELECT error_code, error_message, finished_at FROM notification_attempts WHERE notification_id = n.id ORDER BY attempt_number DESC LIMIT 1
) a ON true`;

@Injectable()
export class FailedNotificationsTypeormRepository extends FailedNotifications {
  constructor(@InjectDataSource() private readonly db: DataSource) {
    super();
  }

  async list(filter: FailedNotificationFilter, limit: number): Promise<FailedNotificationView[]> {
    const params: unknown[] = [];
    const where = whereOf(filter, params);
    params.push(limit);
    const rows: Array<Record<string, any>> = await this.db.query(
      `SELECT n.id, n.channel, n.category, n.recipient, n.status_reason, n.attempt_count, n.updated_at,
              a.error_code, a.error_message, a.finished_at
       FROM notifications n ${LAST_ATTEMPT}
       WHERE ${where} ORDER BY n.updated_at DESC, n.id LIMIT $${params.length}`,
      params,
    );
    return rows.map((r) => ({
      id: r.id,
      channel: r.channel,
      category: r.category,
      recipient: r.recipient,
      reason: r.status_reason,
      attemptCount: r.attempt_count,
      lastError: r.error_code || r.error_message ? { code: r.error_code, message: r.error_message, at: r.finished_at } : null,
      failedAt: r.updated_at,
    }));
  }

  async redrive(selection: RedriveSelection, reason: string, audit?: AuditOf<string[]>): Promise<string[]> {
    if ('ids' in selection) return this.requeueNamed('failed', selection.ids, reason, audit);
    const params: unknown[] = [];
    return this.requeue('failed', whereOf(selection.filter, params), params, reason, audit);
  }

  resendUnknown(ids: string[], reason: string, audit?: AuditOf<string[]>): Promise<string[]> {
    return this.requeueNamed('unknown', ids, reason, audit);
  }

  private requeueNamed(from: 'failed' | 'unknown', ids: string[], reason: string, audit: AuditOf<string[]> | undefined): Promise<string[]> {
    const valid = ids.filter((id) => UUID.test(id));
    if (valid.length === 0) return Promise.resolve([]);
    return this.requeue(from, `n.status = '${from}' AND n.id = ANY($1::uuid[])`, [valid], reason, audit);
  }

  /**
   * Moves the notifications matching `where` (on `n` and its last attempt `a`, parameters from $1) from `from` to
   * queued, with a history row and an outbox entry, as intake does: the relay and the workers take it from there.
   * Rows another transaction holds are skipped, so two requests never queue one notification twice. The audit entry,
   * if any, commits with the move.
   */
  private requeue(from: 'failed' | 'unknown', where: string, params: unknown[], reason: string, audit: AuditOf<string[]> | undefined): Promise<string[]> {
    const all = [...params, reason, allowedSourcesOf('queued'), from];
    const r = all.length;
    return this.db.transaction(async (tx) => {
      const rows: Array<{ id: string }> = await tx.query(
        `WITH selected AS (
           SELECT n.id FROM notifications n ${LAST_ATTEMPT} WHERE ${where} FOR UPDATE OF n SKIP LOCKED
         ), moved AS (
           UPDATE notifications n SET status = 'queued', status_reason = $${r - 2}, next_attempt_at = NULL, updated_at = now()
           FROM selected s WHERE n.id = s.id AND n.status = ANY($${r - 1}::text[])
           RETURNING n.id, n.channel
         ), history AS (
           INSERT INTO notification_status_history (notification_id, from_status, to_status, reason)
           SELECT id, $${r}, 'queued', $${r - 2} FROM moved
         )
         INSERT INTO outbox (notification_id, channel) SELECT id, channel FROM moved RETURNING notification_id AS id`,
        all,
      );
      const ids = rows.map((row) => row.id);
      const entry = audit?.(ids);
      if (entry) await writeAuditEntry(tx, entry);
      return ids;
    });
  }

  async summaries(ids: string[]): Promise<Map<string, NotificationSummary>> {
    const valid = ids.filter((id) => UUID.test(id));
    if (valid.length === 0) return new Map();
    const rows: Array<{ id: string; status: NotificationSummary['status']; status_reason: string | null }> = await this.db.query(
      `SELECT id, status, status_reason FROM notifications WHERE id = ANY($1::uuid[])`,
      [valid],
    );
    return new Map(rows.map((row) => [row.id, { id: row.id, status: row.status, reason: row.status_reason }]));
  }
}
