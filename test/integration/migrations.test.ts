import { Client } from 'pg';
import { createDataSource, runMigrationsLocked } from '../../src/infrastructure/typeorm/data-source';
import { MIGRATIONS } from '../../migrations';
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
});
