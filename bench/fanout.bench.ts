/**
 * Topic fan-out throughput: one push event to N subscribers (default 100,000), through the same store the
 * scheduler role uses, batch after batch until done. Uses a fresh database on DATABASE_URL's server, or an
 * embedded Postgres when DATABASE_URL is not set.
 *
 *   npm run build && node dist/bench/fanout.bench.js [subscribers] [batchSize] [durable]
 *
 * `durable` runs the embedded Postgres with fsync and synchronous commit on, as `npm run bench` does. The time of
 * every tenth of the subscribers is printed, so a batch that slows down as the fan-out advances shows.
 */
import { newId } from '../src/domain/notification/ids';
import { createDataSource, runMigrationsLocked } from '../src/infrastructure/typeorm/data-source';
import { TopicFanoutTypeormRepository } from '../src/infrastructure/typeorm/topic-fanout.typeorm-repository';
import { processTreeCpuSeconds, startPostgres } from './infra';

async function main(): Promise<void> {
  const subscribers = Number(process.argv[2] ?? 100_000);
  const batchSize = Number(process.argv[3] ?? 1000);
  const durable = process.argv[4] === 'durable';
  const postgres = await startPostgres({ durable });
  const ds = await createDataSource(postgres.url, 4).initialize();
  try {
    await runMigrationsLocked(ds);
    await ds.query(`INSERT INTO topics (key) VALUES ('bench')`);
    await ds.query(
      `INSERT INTO topic_subscriptions (topic_key, user_id, created_at)
       SELECT 'bench', 'u-' || lpad(i::text, 7, '0'), now() - interval '1 minute' FROM generate_series(1, $1) AS i`,
      [subscribers],
    );
    // Every subscriber has a profile, as in `npm run bench` (its locale picks the content): the batch reads them.
    await ds.query(
      `INSERT INTO recipients (user_id, device_tokens)
       SELECT 'u-' || lpad(i::text, 7, '0'), jsonb_build_array(jsonb_build_object('token', 'fcm-' || i, 'platform', 'fcm'))
       FROM generate_series(1, $1) AS i`,
      [subscribers],
    );
    await ds.query('ANALYZE');
    const store = new TopicFanoutTypeormRepository(ds);
    const t0 = performance.now();
    const cpu0 = processTreeCpuSeconds(postgres.pid()) ?? 0;
    const accepted = await store.accept({
      source: 'bench',
      idempotencyKey: 'bench-1',
      requestHash: 'x',
      requestId: newId(),
      fanoutId: newId(),
      topicKey: 'bench',
      channels: ['push'],
      contents: { '*': { push: { title: 'New book', body: 'Out now' } } },
      defaultLocale: null,
      category: null,
      metadata: {},
    });
    if (accepted.kind !== 'created') throw new Error('not accepted');
    let batches = 0;
    let created = 0;
    let tenth = performance.now();
    const tenths: number[] = [];
    for (;;) {
      const report = await store.runNextBatch(batchSize);
      batches++;
      created += report?.created ?? 0;
      if (created >= ((tenths.length + 1) * subscribers) / 10 || !report || report.done) {
        tenths.push(Number(((performance.now() - tenth) / 1000).toFixed(2)));
        tenth = performance.now();
      }
      if (!report || report.done) break;
    }
    const seconds = (performance.now() - t0) / 1000;
    // CPU per notification says more than the rate on a machine shared with other work.
    const postgresCpuMs = (((processTreeCpuSeconds(postgres.pid()) ?? 0) - cpu0) * 1000) / subscribers;
    const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM notifications`);
    const progress = await store.find(accepted.fanout.id);
    // Checkpoints forced by WAL volume (max_wal_size reached) during the run: each writes every dirty buffer.
    const [{ requested }] = await ds.query(`SELECT num_requested::int AS requested FROM pg_stat_checkpointer`);
    process.stdout.write(
      `${JSON.stringify({ bench: 'topic-fanout', subscribers, batchSize, durable, tenthsSeconds: tenths, batches, notifications: n, created: progress?.created, checkpointsRequested: requested, seconds: Number(seconds.toFixed(2)), perSecond: Math.round(n / seconds), postgresCpuMsPerNotification: Number(postgresCpuMs.toFixed(4)) })}\n`,
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
