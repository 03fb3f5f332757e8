import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** Creates an empty database for one test file. Refuses any name that does not say "test". */
export async function createTestDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const admin = process.env.HERALD_TEST_PG_ADMIN_URL;
  if (!admin) throw new Error('HERALD_TEST_PG_ADMIN_URL is not set: run the tests through jest (test/setup/global-setup.mjs)');
  const name = `herald_test_${randomBytes(4).toString('hex')}`;
  if (!name.includes('test')) throw new Error(`refusing to use database ${name}`);
  const client = new Client({ connectionString: admin });
  await client.connect();
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new Client({ connectionString: admin });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
