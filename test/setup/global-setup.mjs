// Starts the real parts every test talks to: PostgreSQL (embedded, unless DATABASE_URL is given) and the
// SQS emulator. Their addresses reach the tests through the environment.
import { mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
  const { startFauxqs } = await import('fauxqs');
  const sqs = await startFauxqs({ port: 0, logger: false, host: '127.0.0.1' });
  state.sqs = sqs;
  process.env.SQS_ENDPOINT = sqs.address;
  process.env.AWS_REGION = process.env.AWS_REGION || 'us-east-1';
  process.env.AWS_ACCESS_KEY_ID = process.env.AWS_ACCESS_KEY_ID || 'test';
  process.env.AWS_SECRET_ACCESS_KEY = process.env.AWS_SECRET_ACCESS_KEY || 'test';
  globalThis.__HERALD_TEST_STATE__ = state;
}
