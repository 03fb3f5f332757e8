// Starts the real parts every test talks to: PostgreSQL (embedded, unless DATABASE_URL is given) and the
// SQS emulator. Their addresses reach the tests through the environment.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { startEmbeddedPostgres, THROWAWAY_SETTINGS } from '../../src/local/embedded-postgres-server.mjs';

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

export default async function globalSetup() {
  const state = {};
  if (!process.env.DATABASE_URL) {
    const dir = await mkdtemp(join(tmpdir(), 'herald-test-pg-'));
    const pg = await startEmbeddedPostgres({
      databaseDir: join(dir, 'data'),
      port: await freePort(),
      persistent: false,
      initialise: true,
      ownedFolder: dir,
      settings: [...THROWAWAY_SETTINGS, 'max_connections=300'],
      onError: (e) => process.stderr.write(`[embedded-postgres] ${e}\n`),
    });
    state.pg = pg;
    process.env.HERALD_TEST_PG_ADMIN_URL = pg.adminUrl;
  } else {
    process.env.HERALD_TEST_PG_ADMIN_URL = process.env.DATABASE_URL;
  }
  state.template = await createTemplateDatabase(process.env.HERALD_TEST_PG_ADMIN_URL);
  process.env.HERALD_TEST_PG_TEMPLATE = state.template.name;
  const { startFauxqs } = await import('fauxqs');
  const sqs = await startFauxqs({ port: 0, logger: false, host: '127.0.0.1' });
  state.sqs = sqs;
  process.env.SQS_ENDPOINT = sqs.address;
  process.env.AWS_REGION = process.env.AWS_REGION || 'us-east-1';
  process.env.AWS_ACCESS_KEY_ID = process.env.AWS_ACCESS_KEY_ID || 'test';
  process.env.AWS_SECRET_ACCESS_KEY = process.env.AWS_SECRET_ACCESS_KEY || 'test';
  globalThis.__HERALD_TEST_STATE__ = state;
}

/**
 * Applies the migrations once, to a database that each test's Herald gets a copy of (CREATE DATABASE ... TEMPLATE,
 * test/support/test-database.ts): a copy takes a fraction of the time of migrating an empty database. Herald still
 * runs its migrations at start; it finds them applied. Named like every test database, so that the guard lets the
 * teardown drop it.
 */
async function createTemplateDatabase(adminUrl) {
  const name = `herald_test_template_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const script = fileURLToPath(new URL('./migrate-database.cjs', import.meta.url));
  await promisify(execFile)(process.execPath, [script, url.toString()]);
  return {
    name,
    drop: async () => {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
