/**
 * `npm run bench`: Herald's throughput and latency on this machine, against baselines measured in the same
 * run on the same parts. Not a test: it prints a table and writes bench-results/bench-<time>.json.
 * Every size is a flag (see USAGE); the defaults run in a few minutes on a 2-core machine.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem, type as osType, release } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { rawHttpRate, rawInsertRate, rawSmtpRate, type Rate } from './baselines';
import { startHeraldProcess, type HeraldProcess } from './herald-processes';
import { LoopbackClient, pool } from './http-client';
import { cpuSeconds, machineCpu, peakRssMb, startFauxqs, startPeers, startPostgres, type Peers } from './infra';
import { emailRequest, latencySummary } from './workload';

const USAGE = `Usage: npm run bench -- [--flag value ...]
  --notifications N      notifications accepted through POST /v1/notifications/batch (20000)
  --batch-size N         items per batch request, at most 1000 (500)
  --batch-concurrency N  batch requests in flight (4)
  --single N             single POST /v1/notifications requests (3000)
  --single-concurrency N single requests in flight (32)
  --e2e N                emails sent end to end as fast as intake allows (5000)
  --paced-rate N         emails per second for the latency run (1000)
  --paced-seconds N      length of the latency run (5)
  --raw-smtp N           emails in the raw nodemailer baseline (3000)
  --raw-http N           requests in the raw HTTP baseline (10000)
  --http-concurrency N   requests in flight in the raw HTTP baseline (64)
  --smtp-pool N          SMTP connections of Herald's worker and of the baseline (5)
  --workers N            worker:email processes (1)
  --worker-env K=V,...   extra environment for the worker processes (e.g. WORKER_CONCURRENCY=8)
  --log-level L          Herald's LOG_LEVEL (info)
  --durable true|false   embedded Postgres with fsync and synchronous commit (true)
  --profile              run Herald's processes with --cpu-prof (profiles in bench-results/profiles)
  --warmup N             notifications sent (batch and single) before intake is measured (3000)
  --timeout S            longest wait for deliveries in one phase, seconds (120)
Uses the PostgreSQL server at DATABASE_URL when set (a fresh database is created in it).`;

type Flags = Record<string, string>;

function parseFlags(argv: string[]): Flags {
  const flags: Flags = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--help' || a === '-h') {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    }
    if (!a.startsWith('--')) throw new Error(`unexpected argument ${a}\n${USAGE}`);
    const [name, inline] = a.slice(2).split('=', 2);
    if (inline !== undefined) flags[name] = inline;
    else if (argv[i + 1] !== undefined && !argv[i + 1].startsWith('--')) flags[name] = argv[++i];
    else flags[name] = 'true';
  }
  return flags;
}

const flags = parseFlags(process.argv.slice(2));
const num = (name: string, fallback: number): number => {
  const v = flags[name] === undefined ? fallback : Number(flags[name]);
  if (!Number.isFinite(v) || v < 0) throw new Error(`--${name} must be a number`);
  return v;
};
const settings = {
  notifications: num('notifications', 20_000),
  batchSize: Math.min(1000, num('batch-size', 500)),
  batchConcurrency: num('batch-concurrency', 4),
  single: num('single', 3000),
  singleConcurrency: num('single-concurrency', 32),
  e2e: num('e2e', 5000),
  pacedRate: num('paced-rate', 1000),
  pacedSeconds: num('paced-seconds', 5),
  rawSmtp: num('raw-smtp', 3000),
  rawHttp: num('raw-http', 10_000),
  httpConcurrency: num('http-concurrency', 64),
  smtpPool: num('smtp-pool', 5),
  workers: Math.max(1, num('workers', 1)),
  workerEnv: Object.fromEntries((flags['worker-env'] ?? '').split(',').filter(Boolean).map((kv) => kv.split('=', 2) as [string, string])),
  logLevel: flags['log-level'] ?? 'info',
  durable: (flags.durable ?? 'true') !== 'false',
  profile: flags.profile === 'true',
  warmup: num('warmup', 3000),
  timeoutSeconds: num('timeout', 120),
};

const API_KEY = `hk_bench_${randomBytes(16).toString('hex')}`;
const outDir = resolve('bench-results');
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const runDir = join(outDir, `run-${stamp}`);

interface Row {
  measure: string;
  herald: number | null;
  unit: string;
  baseline?: { name: string; value: number | null };
  target?: { text: string; met: boolean | null };
  note?: string;
}

const log = (msg: string) => process.stdout.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);

/** Collects peer arrivals by id across calls to `take`. */
class Arrivals {
  readonly smtp = new Map<string, number>();
  constructor(private readonly peers: Peers) {}
  async poll(): Promise<void> {
    const taken = await this.peers.take();
    for (const [id, t] of taken.smtp) this.smtp.set(id, t);
  }
  /** Waits until every id has arrived or the timeout passes; returns how many arrived. */
  async waitFor(ids: Iterable<string>, timeoutMs: number): Promise<number> {
    const wanted = [...ids];
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await this.poll();
      const arrived = wanted.filter((id) => this.smtp.has(id)).length;
      if (arrived === wanted.length || Date.now() > deadline) return arrived;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

async function submitBatches(
  client: LoopbackClient,
  tag: string,
  total: number,
  batchSize: number,
  concurrency: number,
  accepted: Map<string, number>,
): Promise<void> {
  const batches = Math.ceil(total / batchSize);
  await pool(batches, concurrency, async (b) => {
    const items = [];
    for (let i = b * batchSize; i < Math.min(total, (b + 1) * batchSize); i++) items.push(emailRequest(tag, i));
    const res = await client.post('/v1/notifications/batch', { items });
    if (res.status !== 202) throw new Error(`batch answered ${res.status}: ${JSON.stringify(res.body).slice(0, 300)}`);
    const now = Date.now();
    for (const item of res.body.items as Array<{ notifications: Array<{ id: string }> }>) for (const n of item.notifications) accepted.set(n.id, now);
  });
}

/** CPU used by each process and by the whole machine during one phase: where the time went. */
function cpuMeter(processes: () => Array<{ name: string; pid: number | undefined }>) {
  const before = new Map(processes().map((p) => [p.name, cpuSeconds(p.pid) ?? 0]));
  const machineBefore = machineCpu();
  const started = performance.now();
  return () => {
    const seconds = (performance.now() - started) / 1000;
    const machineAfter = machineCpu();
    const perProcess = Object.fromEntries(processes().map((p) => [p.name, round((cpuSeconds(p.pid) ?? 0) - (before.get(p.name) ?? 0))]));
    const busy = machineBefore && machineAfter ? (machineAfter.busy - machineBefore.busy) / (machineAfter.total - machineBefore.total) : null;
    return { seconds: round(seconds), cpuSecondsByProcess: perProcess, machineBusyShare: busy === null ? null : round(busy) };
  };
}
const round = (n: number) => Math.round(n * 100) / 100;

async function main(): Promise<void> {
  mkdirSync(runDir, { recursive: true });
  const loadBefore = loadavg();
  log(`settings ${JSON.stringify(settings)}`);
  const pg = await startPostgres({ durable: settings.durable });
  const sqs = await startFauxqs();
  const peers = await startPeers();
  const heralds: HeraldProcess[] = [];
  const rows: Row[] = [];
  const raw: Record<string, unknown> = {};
  const env: Record<string, string> = {
    DATABASE_URL: pg.url,
    DATABASE_POOL_SIZE: '10',
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
    SQS_ENDPOINT: sqs.endpoint,
    SQS_QUEUE_PREFIX: `bench${randomBytes(3).toString('hex')}-`,
    SQS_CREATE_QUEUES: 'true',
    SQS_WAIT_TIME_SECONDS: '1',
    SMTP_URL: `smtp://127.0.0.1:${peers.smtpPort}?tls=none`,
    SMTP_POOL_SIZE: String(settings.smtpPool),
    EMAIL_FROM: 'Herald <no-reply@bench.test>',
    HERALD_BOOTSTRAP_API_KEY: API_KEY,
    RATE_LIMIT_PER_MINUTE: '100000000',
    LOG_LEVEL: settings.logLevel,
  };
  const profileDir = settings.profile ? join(runDir, 'profiles') : undefined;
  const start = (role: string, extra: Record<string, string> = {}) =>
    startHeraldProcess(role, { ...env, ...extra }, { logDir: join(runDir, 'logs'), profileDir }).then((p) => (heralds.push(p), p));

  try {
    // --- Baselines, before Herald runs, each on an otherwise idle machine.
    const api = await start('api'); // also migrates the database: the raw INSERT copies its notifications table
    log('baseline: raw multi-row INSERT');
    const rawInsert = await rawInsertRate(pg.url, settings.notifications, settings.batchSize, settings.batchConcurrency);
    log('baseline: raw nodemailer to the SMTP peer');
    const rawSmtp = await rawSmtpRate(peers.smtpPort, settings.rawSmtp, settings.smtpPool);
    log('baseline: raw HTTP to the push peer');
    const rawHttp = await rawHttpRate(peers.pushPort, settings.rawHttp, settings.httpConcurrency);
    await peers.take();
    raw.baselines = { rawInsert, rawSmtp, rawHttp };

    // --- Intake, with only the api role running: what one api process accepts durably.
    const processes = () => [
      ...heralds.map((h, i) => {
        const before = heralds.slice(0, i).filter((x) => x.role === h.role).length;
        return { name: `herald ${h.role}${before > 0 ? ` #${before + 1}` : ''}`, pid: h.child.pid };
      }),
      { name: 'SQS emulator', pid: sqs.process.pid },
      { name: 'provider peers', pid: peers.process.pid },
      { name: 'bench driver', pid: process.pid },
    ];
    const cpu: Record<string, unknown> = {};
    raw.cpu = cpu;
    const client = new LoopbackClient(api.port, Math.max(settings.batchConcurrency, settings.singleConcurrency), { authorization: `Bearer ${API_KEY}` });
    // A service runs warm: the first requests pay for JIT compilation and lazily built validators.
    log(`warm-up: ${settings.warmup} notifications`);
    await submitBatches(client, 'warmup', settings.warmup, settings.batchSize, settings.batchConcurrency, new Map());
    await pool(Math.ceil(settings.warmup / 10), settings.singleConcurrency, async (i) => void (await client.post('/v1/notifications', emailRequest('warmup-single', i))));
    log(`intake: ${settings.notifications} notifications in batches of ${settings.batchSize}`);
    const intakeAccepted = new Map<string, number>();
    let meter = cpuMeter(processes);
    let t0 = performance.now();
    await submitBatches(client, 'intake', settings.notifications, settings.batchSize, settings.batchConcurrency, intakeAccepted);
    const intakeBatch = rateOf(intakeAccepted.size, t0);
    cpu.intakeBatch = meter();
    meter = cpuMeter(processes);
    log(`intake: ${settings.single} single requests, ${settings.singleConcurrency} in flight`);
    t0 = performance.now();
    await pool(settings.single, settings.singleConcurrency, async (i) => {
      const res = await client.post('/v1/notifications', emailRequest('single', i));
      if (res.status !== 202) throw new Error(`single request answered ${res.status}`);
    });
    const intakeSingle = rateOf(settings.single, t0);
    cpu.intakeSingle = meter();
    raw.intake = { batch: intakeBatch, single: intakeSingle };
    // The intake backlog is not part of the end-to-end runs: its outbox entries are dropped.
    const db = new Client({ connectionString: pg.url });
    db.on('error', (err) => log(`database connection lost: ${err.message}`));
    await db.connect();
    await db.query(`DELETE FROM outbox`);

    // --- End to end, with every role in its own process.
    await start('relay');
    for (let w = 0; w < settings.workers; w++) await start('worker:email', settings.workerEnv);
    await start('scheduler');
    const arrivals = new Arrivals(peers);

    log(`end to end: ${settings.e2e} emails, submitted as fast as intake allows`);
    const e2eAccepted = new Map<string, number>();
    meter = cpuMeter(processes);
    const e2eStart = Date.now();
    await submitBatches(client, 'e2e', settings.e2e, settings.batchSize, 2, e2eAccepted);
    const e2eArrived = await arrivals.waitFor(e2eAccepted.keys(), settings.timeoutSeconds * 1000);
    const e2eLast = Math.max(e2eStart + 1, ...[...e2eAccepted.keys()].map((id) => arrivals.smtp.get(id) ?? 0));
    const e2eEmail = { count: e2eArrived, seconds: (e2eLast - e2eStart) / 1000, perSecond: e2eArrived / ((e2eLast - e2eStart) / 1000) };
    const e2eLatency = latencySummary([...e2eAccepted].filter(([id]) => arrivals.smtp.has(id)).map(([id, t]) => arrivals.smtp.get(id)! - t));
    cpu.e2eEmail = meter();
    raw.e2eEmail = { ...e2eEmail, submitted: e2eAccepted.size, latencyMs: e2eLatency };

    log(`latency: ${settings.pacedRate}/s for ${settings.pacedSeconds} s`);
    const pacedAccepted = new Map<string, number>();
    const tickMs = 50;
    const perTick = Math.max(1, Math.round((settings.pacedRate * tickMs) / 1000));
    const ticks = Math.round((settings.pacedSeconds * 1000) / tickMs);
    const pacedStart = performance.now();
    const inFlight: Array<Promise<void>> = [];
    for (let k = 0; k < ticks; k++) {
      const wait = pacedStart + k * tickMs - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const items = Array.from({ length: perTick }, (_, j) => emailRequest('paced', k * perTick + j));
      inFlight.push(
        client.post('/v1/notifications/batch', { items }).then((res) => {
          if (res.status !== 202) throw new Error(`paced batch answered ${res.status}`);
          const now = Date.now();
          for (const item of res.body.items as Array<{ notifications: Array<{ id: string }> }>) for (const n of item.notifications) pacedAccepted.set(n.id, now);
        }),
      );
    }
    await Promise.all(inFlight);
    const pacedSubmitSeconds = (performance.now() - pacedStart) / 1000;
    const pacedArrived = await arrivals.waitFor(pacedAccepted.keys(), settings.timeoutSeconds * 1000);
    const pacedLatency = latencySummary([...pacedAccepted].filter(([id]) => arrivals.smtp.has(id)).map(([id, t]) => arrivals.smtp.get(id)! - t));
    raw.paced = { offeredPerSecond: pacedAccepted.size / pacedSubmitSeconds, submitted: pacedAccepted.size, arrived: pacedArrived, latencyMs: pacedLatency };
    await db.end();
    client.close();

    // --- Herald's own account: what every process's /metrics says, summed over the processes.
    const scraped = await Promise.all(heralds.map((h) => fetch(`http://127.0.0.1:${h.port}/metrics`).then((r) => r.text())));
    const total = (name: string, labels: Record<string, string> = {}) =>
      scraped.reduce((sum, text) => sum + sumSamples(text, name, labels), 0);
    raw.metrics = {
      accepted: total('herald_notifications_accepted_total'),
      sent: total('herald_notifications_outcomes_total', { status: 'sent' }),
      failed: total('herald_notifications_outcomes_total', { status: 'failed' }),
      retried: total('herald_retries_scheduled_total'),
      outboxLagSeconds: total('herald_outbox_lag_seconds'),
      emailQueueDepth: total('herald_queue_depth', { channel: 'email' }),
    };
    log(`Herald's metrics: ${JSON.stringify(raw.metrics)}`);

    // --- Memory: peak RSS of every process, read before they stop.
    const memory: Record<string, number | null> = {};
    for (const h of heralds) memory[`herald ${h.role}${heralds.filter((x) => x.role === h.role).length > 1 ? ` #${heralds.filter((x) => x.role === h.role).indexOf(h) + 1}` : ''}`] = h.peakRssMb();
    memory['SQS emulator'] = peakRssMb(sqs.process.pid);
    memory['provider peers'] = peakRssMb(peers.process.pid);
    raw.peakRssMb = memory;

    rows.push(
      { measure: 'intake, batch (notifications/s)', herald: intakeBatch.perSecond, unit: '/s', baseline: { name: 'raw multi-row INSERT', value: rawInsert.perSecond }, target: { text: '>= 10,000/s', met: intakeBatch.perSecond >= 10_000 } },
      { measure: `intake, single requests x${settings.singleConcurrency} (/s)`, herald: intakeSingle.perSecond, unit: '/s', baseline: { name: 'raw multi-row INSERT', value: rawInsert.perSecond } },
      {
        measure: 'end to end, email (delivered/s)',
        herald: e2eArrived === e2eAccepted.size ? e2eEmail.perSecond : null,
        unit: '/s',
        baseline: { name: 'raw nodemailer -> SMTP', value: rawSmtp.perSecond },
        target: { text: '>= 60% of raw SMTP', met: e2eArrived === e2eAccepted.size ? e2eEmail.perSecond >= 0.6 * rawSmtp.perSecond : false },
        note: e2eArrived === e2eAccepted.size ? undefined : `only ${e2eArrived}/${e2eAccepted.size} delivered within ${settings.timeoutSeconds} s`,
      },
      { measure: 'end to end, email, p50 latency (ms)', herald: e2eLatency.p50, unit: 'ms', note: 'backlog run: includes queueing' },
      { measure: 'end to end, email, p99 latency (ms)', herald: e2eLatency.p99, unit: 'ms', note: 'backlog run: includes queueing' },
      { measure: `accepted -> SMTP at ${settings.pacedRate}/s, p50 (ms)`, herald: pacedLatency.p50, unit: 'ms' },
      { measure: `accepted -> SMTP at ${settings.pacedRate}/s, p95 (ms)`, herald: pacedLatency.p95, unit: 'ms' },
      {
        measure: `accepted -> SMTP at ${settings.pacedRate}/s, p99 (ms)`,
        herald: pacedArrived === pacedAccepted.size ? pacedLatency.p99 : null,
        unit: 'ms',
        target: { text: '< 1000 ms', met: pacedArrived === pacedAccepted.size && pacedLatency.p99 !== null ? pacedLatency.p99 < 1000 : false },
        note: pacedArrived === pacedAccepted.size ? undefined : `only ${pacedArrived}/${pacedAccepted.size} delivered`,
      },
      // The push channel and topics are measured once they exist in this build; until then only the peer's own rate is known.
      { measure: 'TODO end to end, push (delivered/s)', herald: null, unit: '/s', baseline: { name: 'raw HTTP -> push peer', value: rawHttp.perSecond }, target: { text: '>= 5,000/s', met: null }, note: 'no push channel in this build' },
      { measure: 'TODO topic fan-out, 100,000 subscribers accepted (s)', herald: null, unit: 's', target: { text: '< 10 s', met: null }, note: 'no topics in this build' },
      ...Object.entries(memory).map(([name, mb]): Row => ({
        measure: `peak RSS, ${name} (MB)`,
        herald: mb,
        unit: 'MB',
        target: name.startsWith('herald') ? { text: '< 300 MB', met: mb === null ? null : mb < 300 } : undefined,
      })),
    );
  } finally {
    for (const h of heralds.reverse()) await h.stop().catch(() => undefined);
    await peers.stop();
    await sqs.stop();
    await pg.stop().catch(() => undefined);
  }

  const machine = {
    loadAverageBefore: loadBefore.map(round),
    loadAverageAfter: loadavg().map(round),
    os: `${osType()} ${release()}`, cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version };
  printTable(rows, machine);
  for (const [phase, usage] of Object.entries((raw.cpu ?? {}) as Record<string, ReturnType<ReturnType<typeof cpuMeter>>>)) {
    const parts = Object.entries(usage.cpuSecondsByProcess).map(([name, s]) => `${name} ${s}s`).join(', ');
    process.stdout.write(`CPU during ${phase} (${usage.seconds} s, machine ${usage.machineBusyShare === null ? '?' : Math.round(usage.machineBusyShare * 100)}% busy): ${parts}\n`);
  }
  const file = join(outDir, `bench-${stamp}.json`);
  writeFileSync(file, JSON.stringify({ at: new Date().toISOString(), machine, settings, rows, raw }, null, 2));
  log(`results: ${file}; Herald logs${settings.profile ? ' and CPU profiles' : ''}: ${runDir}`);
}

/** Sum of the samples of `name` in a Prometheus text exposition whose labels include `labels`. */
function sumSamples(text: string, name: string, labels: Record<string, string>): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (!Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) continue;
    sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}

function rateOf(count: number, startedMs: number): Rate {
  const seconds = (performance.now() - startedMs) / 1000;
  return { count, seconds, perSecond: count / seconds };
}

function printTable(rows: Row[], machine: Record<string, unknown>): void {
  const fmt = (v: number | null | undefined, unit = '') =>
    v === null || v === undefined ? '-' : `${v >= 100 ? Math.round(v).toLocaleString('en-US') : v.toFixed(1)}${unit === 'ms' || unit === 'MB' || unit === 's' ? ` ${unit}` : ''}`;
  const table = rows.map((r) => {
    const ratio = r.herald !== null && r.baseline?.value ? r.herald / r.baseline.value : null;
    return [
      r.measure,
      fmt(r.herald, r.unit),
      r.baseline ? `${fmt(r.baseline.value)} (${r.baseline.name})` : '',
      ratio === null ? '' : `${(ratio * 100).toFixed(0)}%`,
      r.target ? `${r.target.text} ${r.target.met === null ? '?' : r.target.met ? 'met' : 'MISSED'}` : '',
      r.note ?? '',
    ];
  });
  const header = ['measure', 'Herald', 'baseline (same run)', 'ratio', 'target', 'note'];
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join(' | ');
  process.stdout.write(`\nHerald benchmark on ${JSON.stringify(machine)}\n\n${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('-|-')}\n`);
  for (const row of table) process.stdout.write(`${line(row)}\n`);
  process.stdout.write('\n');
}

main().catch((err: unknown) => {
  process.stderr.write(`benchmark failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
