import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Channel } from '../../domain/notification/channel';
import { SuppressionList, type Suppression } from '../../domain/ports/suppression-list.port';

/** Email addresses are compared case-insensitively; phone numbers as given (E.164). */
export const normaliseAddress = (channel: Channel, address: string) => (channel === 'email' ? address.trim().toLowerCase() : address.trim());

interface Row {
  channel: Channel;
  address: string;
  reason: string;
  source: string;
  created_at: Date;
}

const toSuppression = (r: Row): Suppression => ({ channel: r.channel, address: r.address, reason: r.reason, source: r.source, createdAt: r.created_at });

@Injectable()
export class SuppressionListTypeormRepository extends SuppressionList {
  constructor(@InjectDataSource() private readonly db: DataSource) {
    super();
  }

  async add(entries: Array<Omit<Suppression, 'createdAt'>>): Promise<number> {
    if (entries.length === 0) return 0;
    const rows: Row[] = await this.db.query(
      `INSERT INTO suppressions (channel, address, reason, source)
       SELECT channel, address, reason, source FROM jsonb_to_recordset($1::jsonb) AS x(channel text, address text, reason text, source text)
       ON CONFLICT (channel, address) DO NOTHING RETURNING *`,
      [JSON.stringify(entries.map((e) => ({ ...e, address: normaliseAddress(e.channel, e.address) })))],
    );
    return rows.length;
  }

  async list(filter: { channel?: Channel; address?: string }, limit: number): Promise<Suppression[]> {
    const rows: Row[] = await this.db.query(
      `SELECT * FROM suppressions WHERE ($1::text IS NULL OR channel = $1) AND ($2::text IS NULL OR address = $2)
       ORDER BY created_at DESC, address LIMIT $3`,
      [filter.channel ?? null, filter.address && filter.channel ? normaliseAddress(filter.channel, filter.address) : (filter.address ?? null), limit],
    );
    return rows.map(toSuppression);
  }

  async remove(channel: Channel, address: string): Promise<boolean> {
    const rows: Array<{ n: number }> = await this.db.query(
      `WITH gone AS (DELETE FROM suppressions WHERE channel = $1 AND address = $2 RETURNING 1) SELECT count(*)::int AS n FROM gone`,
      [channel, normaliseAddress(channel, address)],
    );
    return rows[0].n > 0;
  }

  async find(channel: Channel, addresses: string[]): Promise<Map<string, Suppression>> {
    if (addresses.length === 0) return new Map();
    const rows: Row[] = await this.db.query(`SELECT * FROM suppressions WHERE channel = $1 AND address = ANY($2::text[])`, [
      channel,
      addresses.map((a) => normaliseAddress(channel, a)),
    ]);
    return new Map(rows.map((r) => [r.address, toSuppression(r)]));
  }
}
