import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `notifications_feed_metadata` (GIN, migration ActivityFeed) only for rows that have metadata. A GIN index takes a
 * placeholder entry for an empty `{}`, and most notifications sent through the API carry none, so every version of
 * such a row (the intake, the claim, the outcome) wrote an entry no containment query with a pair can match.
 * Queries by metadata add `metadata <> '{}'::jsonb`, written as it is here, so that the planner can use the index.
 * The rebuild blocks writes to `notifications` while it runs; on a table that is already large, build the partial
 * index beforehand with `CREATE INDEX CONCURRENTLY` under another name, drop the old one concurrently and rename the
 * new one (docs/performance.md, "Activity feed"): this migration then finds it partial and leaves it.
 */
export class MetadataIndexPartial1796184183828 implements MigrationInterface {
  name = 'MetadataIndexPartial1796184183828';

  async up(q: QueryRunner): Promise<void> {
    const partial: unknown[] = await q.query(`SELECT 1 FROM pg_indexes WHERE schemaname = current_schema() AND indexname = 'notifications_feed_metadata' AND indexdef LIKE '% WHERE %'`);
    if (partial.length > 0) return;
    await q.query(`DROP INDEX IF EXISTS notifications_feed_metadata`);
    await q.query(`CREATE INDEX notifications_feed_metadata ON notifications USING gin (metadata jsonb_path_ops) WHERE metadata <> '{}'::jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX notifications_feed_metadata`);
    await q.query(`CREATE INDEX notifications_feed_metadata ON notifications USING gin (metadata jsonb_path_ops)`);
  }
}
