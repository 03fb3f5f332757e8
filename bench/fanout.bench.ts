/**
 * Topic fan-out throughput: one event to N subscribers (default 100,000), through the same store the
 * scheduler role uses, batch after batch until done. Uses a fresh database on DATABASE_URL's server, or an
 * embedded Postgres when DATABASE_URL is not set.
 *
 *   npm run build && node dist/bench/fanout.bench.js [subscribers] [batchSize]
 */
import { newId } from '../src/domain/notification/ids';
import { createDataSource, runMigrationsLocked } from '../src/infrastructure/typeorm/data-source';
import { TopicFanoutTypeormRepository } from '../src/infrastructure/typeorm/topic-fanout.typeorm-repository';
import { startPostgres } from './infra';

async function main(): Promise<void> {
  const subscribers = Number(process.argv[2] ?? 100_000);
  const batchSize = Number(process.argv[3] ?? 1000);
  const postgres = await startPostgres({ durable: false });
  const ds = await createDataSource(postgres.url, 4).initialize();
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
    await postgres.stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
