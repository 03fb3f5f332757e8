import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SendHistory, type SentCount, type SentCountQuery } from '../../domain/ports/send-history.port';

@Injectable()
export class SendHistoryTypeormRepository extends SendHistory {
  constructor(@InjectDataSource() private readonly db: DataSource) {
    super();
  }

  async countSent(queries: SentCountQuery[]): Promise<SentCount[]> {
    if (queries.length === 0) return [];
    const rows: Array<{ notification_id: string; recipient_key: string; sent: number; oldest: Date | null }> = await this.db.query(
      `SELECT q.notification_id, self.recipient_key, count(n.id)::int AS sent, min(n.sent_at) AS oldest
       FROM jsonb_to_recordset($1::jsonb) AS q(notification_id uuid, category text, channel text, since timestamptz)
       JOIN notifications self ON self.id = q.notification_id
       LEFT JOIN notifications n ON n.recipient_key = self.recipient_key AND n.category = q.category
         AND (q.channel = '*' OR n.channel = q.channel) AND n.sent_at >= q.since AND n.id <> self.id
       GROUP BY q.notification_id, self.recipient_key`,
      [JSON.stringify(queries.map((q) => ({ notification_id: q.notificationId, category: q.category, channel: q.channel, since: q.since.toISOString() })))],
    );
    return rows.map((r) => ({ notificationId: r.notification_id, recipientKey: r.recipient_key, sent: r.sent, oldestSentAt: r.oldest ? new Date(r.oldest) : null }));
  }
}
