import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

const PREFIX = 'herald_test_';

/**
 * Tests create and drop databases with FORCE: they must never touch one they did not make. Refuses any name
 * that does not start with `herald_test_` (and, as the name is written into SQL, any but a plain identifier).
 */
export function assertTestDatabaseName(name: string): void {
  if (!name.startsWith(PREFIX) || !/^[a-z0-9_]{1,63}$/.test(name)) throw new Error(`refusing to use database "${name}": a test database's name starts with ${PREFIX}`);
}

/**
 * Creates a database for one test file (a fresh name unless one is given): empty, or with `migrated`, a copy of the
 * template database that global setup migrated (test/setup/global-setup.mjs), i.e. with every migration applied.
 */
export async function createTestDatabase(
  name = `${PREFIX}${randomBytes(4).toString('hex')}`,
  options: { migrated?: boolean } = {},
): Promise<{ url: string; drop: () => Promise<void> }> {
  assertTestDatabaseName(name);
  const admin = process.env.HERALD_TEST_PG_ADMIN_URL;
  if (!admin) throw new Error('HERALD_TEST_PG_ADMIN_URL is not set: run the tests through jest (test/setup/global-setup.mjs)');
  const template = options.migrated ? process.env.HERALD_TEST_PG_TEMPLATE : undefined;
  if (options.migrated && !template) throw new Error('HERALD_TEST_PG_TEMPLATE is not set: run the tests through jest (test/setup/global-setup.mjs)');
  if (template) assertTestDatabaseName(template);
  const client = new Client({ connectionString: admin });
  await client.connect();
  await client.query(template ? `CREATE DATABASE ${name} TEMPLATE ${template}` : `CREATE DATABASE ${name}`);
  await client.end();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      assertTestDatabaseName(name);
      const c = new Client({ connectionString: admin });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
