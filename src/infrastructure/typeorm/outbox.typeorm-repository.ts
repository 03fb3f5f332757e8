import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Outbox, type OutboxEntry, type PublishReport } from '../../domain/ports/outbox.port';

/** How long a failed publish waits before the relay tries that entry again. */
const PUBLISH_RETRY_DELAY_SECONDS = 5;

@Injectable()
export class OutboxTypeormRepository extends Outbox {
  constructor(@InjectDataSource() private readonly db: DataSource) {
    super();
  }

  drain(limit: number, publish: (entries: OutboxEntry[]) => Promise<PublishReport>): Promise<number> {
    return this.drainDueFor(0, limit, publish);
  }

  drainStuck(dueForMs: number, limit: number, publish: (entries: OutboxEntry[]) => Promise<PublishReport>): Promise<number> {
    return this.drainDueFor(dueForMs, limit, publish);
  }

  private async drainDueFor(dueForMs: number, limit: number, publish: (entries: OutboxEntry[]) => Promise<PublishReport>): Promise<number> {
    return this.db.transaction(async (tx) => {
      const rows: Array<{ id: string; notification_id: string; channel: string }> = await tx.query(
        `SELECT id, notification_id, channel FROM outbox WHERE available_at <= now() - make_interval(secs => $2::double precision / 1000)
         ORDER BY available_at, id LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [limit, dueForMs],
      );
      if (rows.length === 0) return 0;
      const report = await publish(rows.map((r) => ({ id: String(r.id), notificationId: r.notification_id, channel: r.channel as OutboxEntry['channel'] })));
      if (report.publishedIds.length) await tx.query(`DELETE FROM outbox WHERE id = ANY($1::bigint[])`, [report.publishedIds]);
      if (report.failedIds.length) {
        await tx.query(
          `UPDATE outbox SET publish_failures = publish_failures + 1, available_at = now() + make_interval(secs => $2)
           WHERE id = ANY($1::bigint[])`,
          [report.failedIds, PUBLISH_RETRY_DELAY_SECONDS],
        );
      }
      return report.publishedIds.length;
    });
  }
}
