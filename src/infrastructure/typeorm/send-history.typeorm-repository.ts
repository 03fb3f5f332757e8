import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { EVERY_CATEGORY } from '../../domain/notification/politeness-policy';
import { SendHistory, type SentCount, type SentCountQuery } from '../../domain/ports/send-history.port';

@Injectable()
export class SendHistoryTypeormRepository extends SendHistory {
  constructor(@InjectDataSource() private readonly db: DataSource) {
    super();
  }

  async countSent(queries: SentCountQuery[]): Promise<Array<SentCount | null>> {
    if (queries.length === 0) return [];
    // A query across every category counts through the same index (recipient_key leads it), whatever the category.
    const rows: Array<{ ord: number; notification_id: string; recipient_key: string; sent: number; oldest: Date | null }> = await this.db.query(
      `SELECT q.ord, q.notification_id, self.recipient_key, count(n.id)::int AS sent, min(n.sent_at) AS oldest
       FROM jsonb_to_recordset($1::jsonb) AS q(ord int, notification_id uuid, category text, channel text, since timestamptz)
       JOIN notifications self ON self.id = q.notification_id
       LEFT JOIN notifications n ON n.recipient_key = self.recipient_key AND (q.category = $2 OR n.category = q.category)
         AND (q.channel = '*' OR n.channel = q.channel) AND n.sent_at >= q.since AND n.id <> self.id
       GROUP BY q.ord, q.notification_id, self.recipient_key`,
      [
        JSON.stringify(queries.map((q, ord) => ({ ord, notification_id: q.notificationId, category: q.category, channel: q.channel, since: q.since.toISOString() }))),
        EVERY_CATEGORY,
      ],
    );
    const counts: Array<SentCount | null> = queries.map(() => null);
    for (const r of rows) counts[r.ord] = { notificationId: r.notification_id, recipientKey: r.recipient_key, sent: r.sent, oldestSentAt: r.oldest ? new Date(r.oldest) : null };
    return counts;
  }
}
