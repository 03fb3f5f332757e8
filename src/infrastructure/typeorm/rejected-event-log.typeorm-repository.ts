import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { RejectedEventLog, type RecordedRejectedEvent } from '../../domain/ports/rejected-event-log.port';

interface Row {
  id: string;
  source: string;
  event_id: string;
  rule: string;
  reason: string;
  payload: unknown;
  created_at: Date;
}

@Injectable()
export class RejectedEventLogTypeormRepository extends RejectedEventLog {
  constructor(@InjectDataSource() private readonly db: DataSource) {
    super();
  }

  async list(query: { source?: string; before?: string; limit: number }): Promise<RecordedRejectedEvent[]> {
    const rows: Row[] = await this.db.query(
      `SELECT id::text AS id, source, event_id, rule, reason, payload, created_at FROM rejected_events
       WHERE ($1::text IS NULL OR source = $1) AND ($2::bigint IS NULL OR id < $2)
       ORDER BY id DESC LIMIT $3`,
      [query.source ?? null, query.before ?? null, query.limit],
    );
    return rows.map((r) => ({
      id: r.id,
      source: r.source,
      eventId: r.event_id,
      rule: r.rule || null,
      reason: r.reason,
      payload: r.payload,
      createdAt: r.created_at,
    }));
  }
}
