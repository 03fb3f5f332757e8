/**
 * The DynamoDB Streams row on its own (the same as in `npm run bench`): one stream process against DynamoDB Local
 * and an embedded PostgreSQL (or DATABASE_URL's server), with a raw GetRecords drain as the baseline.
 *
 *   npx nest build && node dist/bench/stream.bench.js [--records N] [--warmup N] [--batch-size N] [--profile]
 */
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { startHeraldProcess } from './herald-processes';
import { startPostgres } from './infra';
import { formatCpu, streamRow } from './stream';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const flag = (name: string, fallback: number) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? Number(args[i + 1]) : fallback;
  };
  const profile = args.includes('--profile');
  const runDir = join(resolve('bench-results'), `stream-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  const log = (msg: string) => process.stdout.write(`[stream bench ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
  const pg = await startPostgres({ durable: !args.includes('--throwaway') });
  try {
    const result = await streamRow({
      settings: { records: flag('records', 20_000), warmup: flag('warmup', 2000), batchSize: flag('batch-size', 1000), baselineRounds: flag('baseline-rounds', 3), timeoutSeconds: flag('timeout', 120) },
      databaseUrl: pg.url,
      postgresPid: pg.pid(),
      region: 'us-east-1',
      log,
      startStream: (env) =>
        startHeraldProcess('stream', { DATABASE_URL: pg.url, DATABASE_POOL_SIZE: '10', AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'bench', AWS_SECRET_ACCESS_KEY: 'bench', LOG_LEVEL: 'info', LINK_SIGNING_SECRET: randomBytes(32).toString('hex'), ...env }, { logDir: join(runDir, 'logs'), profileDir: profile ? join(runDir, 'profiles') : undefined, heapMb: flag('heap-mb', 192) }),
    });
    log(`${result.perSecond.toFixed(0)} records/s committed (${result.committed} requests, ${result.seconds} s); raw GetRecords drain ${result.baseline.perSecond.toFixed(0)}/s (${result.baseline.rounds.join(', ')}); ratio ${((result.perSecond / result.baseline.perSecond) * 100).toFixed(0)}%; target >= 10,000/s ${result.perSecond >= 10_000 ? 'met' : 'not met'}`);
    log(`CPU ms/record: ${formatCpu(result.cpuMsPerRecord)}; machine ${result.machineBusyShare === null ? '?' : Math.round(result.machineBusyShare * 100)}% busy`);
    log(`baseline CPU ms/record: ${formatCpu(result.baselineCpuMsPerRecord)}`);
    if (profile) log(`profiles: ${join(runDir, 'profiles')}`);
  } finally {
    await pg.stop().catch(() => undefined);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`stream benchmark failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
