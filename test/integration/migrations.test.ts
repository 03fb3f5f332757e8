import { Client } from 'pg';
import { createDataSource, runMigrationsLocked } from '../../src/infrastructure/typeorm/data-source';
import { MIGRATIONS } from '../../migrations';
import { MetadataIndexPartial1796184183828 } from '../../migrations/1796184183828-MetadataIndexPartial';
import { createTestDatabase } from '../support/test-database';

describe('migrations', () => {
  it('apply once when several processes start together, and revert completely', async () => {
    const db = await createTestDatabase();
    const sources = await Promise.all([1, 2, 3].map(() => createDataSource(db.url, 1).initialize()));
    try {
      const applied = await Promise.all(sources.map((s) => runMigrationsLocked(s)));
      expect(applied.flat().sort()).toEqual(MIGRATIONS.map((m) => m.name).sort());
      const client = new Client({ connectionString: db.url });
      await client.connect();
      const { rows } = await client.query(`SELECT count(*)::int AS n FROM migrations`);
      expect(rows[0].n).toBe(MIGRATIONS.length);
      for (let i = 0; i < MIGRATIONS.length; i++) await sources[0].undoLastMigration({ transaction: 'each' });
      const left = await client.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'migrations'`);
      expect(left.rows).toEqual([]);
      await client.end();
    } finally {
      await Promise.all(sources.map((s) => s.destroy()));
      await db.drop();
    }
  });
  it('make the metadata index partial, leave one already built partial by hand, and make it whole again on revert', async () => {
    const db = await createTestDatabase();
    const source = await createDataSource(db.url, 1).initialize();
    const client = new Client({ connectionString: db.url });
    await client.connect();
    const metadataIndex = async (): Promise<{ oid: number; def: string }> =>
      (await client.query(`SELECT indexrelid::int AS oid, pg_get_indexdef(indexrelid) AS def FROM pg_index WHERE indexrelid = 'notifications_feed_metadata'::regclass`)).rows[0];
    try {
      await runMigrationsLocked(source);
      expect((await metadataIndex()).def).toContain(`WHERE (metadata <> '{}'::jsonb)`);
      await source.undoLastMigration({ transaction: 'each' });
      expect((await metadataIndex()).def).not.toContain('WHERE');
      // What docs/performance.md describes for a large table: the partial index built concurrently, then renamed.
      await client.query(`CREATE INDEX CONCURRENTLY notifications_feed_metadata_partial ON notifications USING gin (metadata jsonb_path_ops) WHERE metadata <> '{}'::jsonb`);
      await client.query(`DROP INDEX CONCURRENTLY notifications_feed_metadata`);
      await client.query(`ALTER INDEX notifications_feed_metadata_partial RENAME TO notifications_feed_metadata`);
      const built = await metadataIndex();
      expect(await runMigrationsLocked(source)).toEqual([new MetadataIndexPartial1796184183828().name]);
      expect(await metadataIndex()).toEqual(built);
    } finally {
      await client.end();
      await source.destroy();
      await db.drop();
    }
  });
});
