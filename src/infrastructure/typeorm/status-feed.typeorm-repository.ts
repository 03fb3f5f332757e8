import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { StatusFeed, type FeedCursor, type StatusChange } from '../../domain/ports/status-feed.port';

@Injectable()
export class StatusFeedTypeormRepository extends StatusFeed {
  constructor(@InjectDataSource() private readonly db: DataSource) {
    super();
  }

  async cursor(name: string): Promise<FeedCursor> {
    await this.db.query(
      `INSERT INTO status_feed_cursors (name, last_history_id)
       SELECT $1, coalesce(max(id), 0) FROM notification_status_history ON CONFLICT (name) DO NOTHING`,
      [name],
    );
    const [row] = await this.db.query(`SELECT last_history_id, failures, next_attempt_at FROM status_feed_cursors WHERE name = $1`, [name]);
    return { lastId: String(row.last_history_id), failures: row.failures, nextAttemptAt: row.next_attempt_at };
  }

  async changesAfter(afterId: string, limit: number, settledForMs: number): Promise<StatusChange[]> {
    const rows: Array<Record<string, any>> = await this.db.query(
      `SELECT h.id, h.notification_id, h.from_status, h.to_status, h.reason, h.created_at, n.request_id, n.channel, n.category, n.metadata
       FROM notification_status_history h JOIN notifications n ON n.id = h.notification_id
       WHERE h.id > $1 AND h.created_at < now() - make_interval(secs => $3::double precision / 1000)
       ORDER BY h.id LIMIT $2`,
      [afterId, limit, settledForMs],
    );
    return rows.map((r) => ({
      id: String(r.id),
      notificationId: r.notification_id,
      requestId: r.request_id,
      channel: r.channel,
      category: r.category,
      metadata: r.metadata,
      from: r.from_status,
      to: r.to_status,
      reason: r.reason,
      at: r.created_at,
    }));
  }

  async advance(name: string, lastId: string): Promise<void> {
    await this.db.query(
      `UPDATE status_feed_cursors SET last_history_id = greatest(last_history_id, $2::bigint), failures = 0, next_attempt_at = NULL, last_error = NULL, updated_at = now()
       WHERE name = $1`,
      [name, lastId],
    );
  }

  async recordFailure(name: string, error: string, nextAttemptAt: Date): Promise<void> {
    await this.db.query(
      `UPDATE status_feed_cursors SET failures = failures + 1, next_attempt_at = $2, last_error = $3, updated_at = now() WHERE name = $1`,
      [name, nextAttemptAt.toISOString(), error.slice(0, 2000)],
    );
  }
}
