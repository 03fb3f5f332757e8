import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { allowedSourcesOf, type NotificationStatus } from '../../domain/notification/notification-status';
import { ScheduleBook, type CancelOutcome } from '../../domain/ports/schedule-book.port';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

@Injectable()
export class ScheduleBookTypeormRepository extends ScheduleBook {
  constructor(@InjectDataSource() private readonly db: DataSource) {
    super();
  }

  async releaseDue(limit: number): Promise<number> {
    const rows: Array<{ n: number }> = await this.db.query(
      `WITH due AS (
         SELECT id FROM notifications WHERE status = 'scheduled' AND next_attempt_at <= now()
         ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED
       ), released AS (
         UPDATE notifications n SET status = 'queued', status_reason = NULL, updated_at = now()
         FROM due WHERE n.id = due.id RETURNING n.id, n.channel
       ), history AS (
         INSERT INTO notification_status_history (notification_id, from_status, to_status, reason)
         SELECT id, 'scheduled', 'queued', 'scheduled time reached' FROM released
       ), queued AS (
         INSERT INTO outbox (notification_id, channel) SELECT id, channel FROM released
       )
       SELECT count(*)::int AS n FROM released`,
      [limit],
    );
    return rows[0].n;
  }

  async cancel(id: string, reason: string): Promise<CancelOutcome> {
    if (!UUID.test(id)) return { kind: 'not_found' };
    const rows: Array<{ cancelled: boolean; status: NotificationStatus | null }> = await this.db.query(
      `WITH current AS (
         SELECT id, status FROM notifications WHERE id = $1 FOR UPDATE
       ), cancelled AS (
         UPDATE notifications n SET status = 'cancelled', status_reason = $2, next_attempt_at = NULL, updated_at = now()
         FROM current c WHERE n.id = c.id AND c.status = ANY($3::text[])
         RETURNING n.id, c.status AS old_status
       ), history AS (
         INSERT INTO notification_status_history (notification_id, from_status, to_status, reason)
         SELECT id, old_status, 'cancelled', $2 FROM cancelled
       ), dequeued AS (
         DELETE FROM outbox WHERE notification_id IN (SELECT id FROM cancelled)
       )
       SELECT EXISTS (SELECT 1 FROM cancelled) AS cancelled, (SELECT status FROM current) AS status`,
      [id, reason, allowedSourcesOf('cancelled')],
    );
    const row = rows[0];
    if (row.cancelled) return { kind: 'cancelled' };
    if (!row.status) return { kind: 'not_found' };
    return { kind: 'too_late', status: row.status };
  }
}
