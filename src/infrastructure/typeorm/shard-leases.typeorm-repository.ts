import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ShardLeases, type LeasedShard, type StreamShard } from '../../domain/ports/shard-leases.port';

interface LeasedRow {
  stream_arn: string;
  shard_id: string;
  checkpoint: string | null;
  parent_known: boolean;
}

@Injectable()
export class ShardLeasesTypeormRepository extends ShardLeases {
  constructor(@InjectDataSource() private readonly db: DataSource) {
    super();
  }

  async register(streamArn: string, shards: StreamShard[]): Promise<void> {
    if (shards.length === 0) return;
    await this.db.query(
      `INSERT INTO stream_shards (stream_arn, shard_id, parent_shard_id)
       SELECT $1, s.shard_id, s.parent_shard_id FROM jsonb_to_recordset($2::jsonb) AS s(shard_id text, parent_shard_id text)
       ON CONFLICT (stream_arn, shard_id) DO NOTHING`,
      [streamArn, JSON.stringify(shards.map((s) => ({ shard_id: s.shardId, parent_shard_id: s.parentShardId })))],
    );
  }

  async acquire(owner: string, streamArns: string[], leaseMs: number): Promise<LeasedShard[]> {
    if (streamArns.length === 0) return [];
    return this.db.transaction(async (tx) => {
      await tx.query(
        `UPDATE stream_shards SET lease_expires_at = now() + $2 * interval '1 millisecond', heartbeat_at = now()
         WHERE lease_owner = $1 AND NOT ended`,
        [owner, leaseMs],
      );
      await tx.query(
        `INSERT INTO stream_pollers (owner, heartbeat_at, expires_at) VALUES ($1, now(), now() + $2 * interval '1 millisecond')
         ON CONFLICT (owner) DO UPDATE SET heartbeat_at = now(), expires_at = excluded.expires_at`,
        [owner, leaseMs],
      );
      // Fair share: the open shards divided among the live poller processes (this one included).
      const [{ open, owners, mine }]: Array<{ open: number; owners: number; mine: number }> = await tx.query(
        `SELECT count(*)::int AS open,
                greatest(1, (SELECT count(*) FROM stream_pollers WHERE expires_at > now()))::int AS owners,
                count(*) FILTER (WHERE lease_owner = $2)::int AS mine
         FROM stream_shards WHERE stream_arn = ANY($1) AND NOT ended`,
        [streamArns, owner],
      );
      const fair = Math.ceil(open / owners);
      if (mine > fair) {
        // Another process joined: hand over the excess; it takes them on its next pass, from their checkpoints.
        await tx.query(
          `UPDATE stream_shards SET lease_owner = NULL, lease_expires_at = NULL, updated_at = now()
           WHERE (stream_arn, shard_id) IN (
             SELECT stream_arn, shard_id FROM stream_shards WHERE lease_owner = $1 AND stream_arn = ANY($2) AND NOT ended
             ORDER BY created_at DESC, shard_id DESC LIMIT $3)`,
          [owner, streamArns, mine - fair],
        );
      }
      const wanted = Math.max(0, fair - mine);
      if (wanted > 0) {
        // A shard is ready once its parent is read to the end (or was never seen: trimmed before we listed it).
        // SKIP LOCKED plus the re-checked WHERE clause: two processes never take the same shard.
        await tx.query(
          `WITH candidates AS (
             SELECT s.stream_arn, s.shard_id FROM stream_shards s
             WHERE s.stream_arn = ANY($1) AND NOT s.ended
               AND (s.lease_owner IS NULL OR s.lease_expires_at < now())
               AND NOT EXISTS (SELECT 1 FROM stream_shards p
                               WHERE p.stream_arn = s.stream_arn AND p.shard_id = s.parent_shard_id AND NOT p.ended)
             ORDER BY s.created_at, s.shard_id
             LIMIT $4
             FOR UPDATE SKIP LOCKED
           )
           UPDATE stream_shards s SET lease_owner = $2, lease_expires_at = now() + $3 * interval '1 millisecond', heartbeat_at = now(), updated_at = now()
           FROM candidates c WHERE s.stream_arn = c.stream_arn AND s.shard_id = c.shard_id`,
          [streamArns, owner, leaseMs, wanted],
        );
      }
      const rows: LeasedRow[] = await tx.query(
        `SELECT s.stream_arn, s.shard_id, s.checkpoint,
                EXISTS (SELECT 1 FROM stream_shards p WHERE p.stream_arn = s.stream_arn AND p.shard_id = s.parent_shard_id) AS parent_known
         FROM stream_shards s WHERE s.lease_owner = $1 AND NOT s.ended AND s.stream_arn = ANY($2)
         ORDER BY s.created_at, s.shard_id`,
        [owner, streamArns],
      );
      return rows.map((r) => ({ streamArn: r.stream_arn, shardId: r.shard_id, checkpoint: r.checkpoint, parentKnown: r.parent_known }));
    });
  }

  async release(owner: string, shards?: Array<{ streamArn: string; shardId: string }>): Promise<void> {
    if (shards) {
      if (shards.length === 0) return;
      await this.db.query(
        `UPDATE stream_shards s SET lease_owner = NULL, lease_expires_at = NULL, updated_at = now()
         FROM jsonb_to_recordset($2::jsonb) AS r(stream_arn text, shard_id text)
         WHERE s.lease_owner = $1 AND s.stream_arn = r.stream_arn AND s.shard_id = r.shard_id`,
        [owner, JSON.stringify(shards.map((s) => ({ stream_arn: s.streamArn, shard_id: s.shardId })))],
      );
      return;
    }
    await this.db.query(`UPDATE stream_shards SET lease_owner = NULL, lease_expires_at = NULL, updated_at = now() WHERE lease_owner = $1`, [owner]);
    await this.db.query(`DELETE FROM stream_pollers WHERE owner = $1 OR expires_at < now() - interval '1 day'`, [owner]);
  }

  async checkpointOf(streamArn: string, shardId: string): Promise<string | null> {
    const rows: Array<{ checkpoint: string | null }> = await this.db.query(
      `SELECT checkpoint FROM stream_shards WHERE stream_arn = $1 AND shard_id = $2`,
      [streamArn, shardId],
    );
    return rows[0]?.checkpoint ?? null;
  }
}
