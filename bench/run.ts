/**
 * `npm run bench`: Herald's throughput and latency on this machine, against baselines measured in the same
 * run on the same parts. Not a test: it prints a table and writes bench-results/bench-<time>.json.
 * Every size is a flag (see USAGE); the defaults run in a few minutes on a 2-core machine.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem, type as osType, release } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { rawHttpRate, rawInsertRate, rawSmtpRate, type Rate } from './baselines';
import { startHeraldProcess, type HeraldProcess } from './herald-processes';
import { LoopbackClient, pool } from './http-client';
import { cpuSeconds, machineCpu, peakRssMb, processTreeCpuSeconds, processTreeMemoryMb, redisAnswers, startBullmqPeer, startFauxqs, startPeers, startPostgres, type BullmqPeer, type Peers } from './infra';
import { formatPlan, planCapacity, type CapacityChannel, type MeasuredChannel } from './capacity';
import { formatCpu, streamRow, type LiveStream, type StreamResult } from './stream';
import { emailRequest, FCM_PROJECT, latencySummary, pushRequest } from './workload';

const USAGE = `Usage: npm run bench -- [--flag value ...]
  --notifications N      notifications accepted through POST /v1/notifications/batch (20000)
  --batch-size N         items per batch request, at most 1000 (500)
  --batch-concurrency N  batch requests in flight (4)
  --single N             single POST /v1/notifications requests (3000)
  --single-concurrency N single requests in flight (32)
  --e2e N                emails sent end to end as fast as intake allows (20000)
  --e2e-push N           push notifications (one FCM token each) sent end to end as fast as intake allows (20000)
  --bullmq N             push notifications sent through BullMQ on the Redis at REDIS_URL, the peer row (as --e2e-push);
                         0 skips it, and so does a Redis that does not answer
  --workflow-runs N      workflow runs with one 1 s digest step, then a push to one FCM token each, triggered
                         through POST /v1/events as fast as it takes them; 0 skips it (2000)
  --paced-rate N         emails, then push notifications, per second for the latency runs (1000)
  --paced-seconds N      length of the latency run (5)
  --raw-smtp N           emails in the raw nodemailer baseline (3000)
  --raw-http N           requests in the raw HTTP baseline (10000)
  --http-concurrency N   requests in flight in the raw HTTP baseline (64)
  --baseline-rounds N    timed rounds of each baseline after a warm-up; the median is the figure (3)
  --smtp-pool N          SMTP connections of Herald's worker and of the baseline (5)
  --workers N            worker:email processes, and as many worker:push processes (1)
  --push-workers N       worker:push processes (as many as --workers)
  --fanout N             subscribers of the topic in the fan-out run; 0 skips it (100000)
  --fanout-channel C     channel the fan-out is delivered on: push or inapp (push)
  --fanout-million       also a fan-out to 1,000,000 subscribers, after the --fanout run (off); its rows: subscribers
                         written, accepted (target < 60 s), deliveries, peak memory of every role and of PostgreSQL.
                         With --fanout 0 it is the only fan-out
  --fanout-million-delivery S  longest wait for its deliveries once it is accepted, seconds (600); 0 counts the
                         deliveries made while it was being accepted and goes on
  --worker-env K=V,...   extra environment for the worker processes (e.g. WORKER_CONCURRENCY=8)
  --log-level L          Herald's LOG_LEVEL (info)
  --durable true|false   embedded Postgres with fsync and synchronous commit (true)
  --heap-mb N            V8 old-space limit of every Herald process, as the Dockerfile sets it (192); 0 = Node's default
  --profile              run Herald's processes with --cpu-prof (profiles in bench-results/profiles)
  --stream-records N     DynamoDB stream records read into notifications by one stream process; 0 skips it (20000)
  --stream-warmup N      stream records read first, not measured (2000)
  --stream-batch-size N  the stream process's STREAM_BATCH_SIZE and the raw drain's GetRecords limit (1000)
  --stream-e2e N         stream records written once delivery runs, for the record -> SMTP peer latency; 0 skips (2000)
  --warmup N             notifications sent (batch and single) before intake is measured (3000)
  --capacity N           after the runs, the ECS tasks, PostgreSQL vCPU and first limit for N notifications/s,
                         from the CPU per notification measured (docs/capacity.md)
  --capacity-channel C   email or push (both)
  --capacity-utilisation U  share of each task's and the database's CPU planned for (0.6)
  --capacity-task-vcpu N vCPU per ECS task (1)
  --capacity-db-max-vcpu N  largest single PostgreSQL writer considered, vCPU (64)
  --capacity-ses-rate N  the SES account's sending rate per second, if known
  --capacity-fcm-quota N FCM messages per minute per project (600000, the default quota)
  --capacity-from FILE   no runs: the capacity model from a bench-results/bench-<time>.json written before
  --pg-writes            per end-to-end run, PostgreSQL's WAL records per notification by statement (needs a server at
                         DATABASE_URL started with shared_preload_libraries=pg_stat_statements) and the notification
                         row's updates and heap-only ones (waits 11 s after each run for the table statistics)
  --timeout S            longest wait for deliveries in one phase, seconds; the fan-out's delivery waits
                         while deliveries keep arriving, and gives up after S seconds without one (120)
Uses the PostgreSQL server at DATABASE_URL when set (a fresh database is created in it), and the Redis at REDIS_URL
(redis://127.0.0.1:6379) for the BullMQ row.`;

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
  e2e: num('e2e', 20_000),
  e2ePush: num('e2e-push', 20_000),
  bullmq: num('bullmq', num('e2e-push', 20_000)),
  workflowRuns: num('workflow-runs', 2000),
  pacedRate: num('paced-rate', 1000),
  pacedSeconds: num('paced-seconds', 5),
  rawSmtp: num('raw-smtp', 3000),
  rawHttp: num('raw-http', 10_000),
  httpConcurrency: num('http-concurrency', 64),
  baselineRounds: Math.max(1, num('baseline-rounds', 3)),
  smtpPool: num('smtp-pool', 5),
  workers: Math.max(1, num('workers', 1)),
  pushWorkers: Math.max(1, num('push-workers', num('workers', 1))),
  fanout: num('fanout', 100_000),
  fanoutChannel: flags['fanout-channel'] ?? 'push',
  fanoutMillion: flags['fanout-million'] === 'true',
  fanoutMillionDeliverySeconds: num('fanout-million-delivery', 600),
  workerEnv: Object.fromEntries(
    (flags['worker-env'] ?? '')
      .split(',')
      .filter(Boolean)
      .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
  ),
  logLevel: flags['log-level'] ?? 'info',
  durable: (flags.durable ?? 'true') !== 'false',
  profile: flags.profile === 'true',
  heapMb: num('heap-mb', 192),
  warmup: num('warmup', 3000),
  streamRecords: num('stream-records', 20_000),
  streamWarmup: num('stream-warmup', 2000),
  streamBatchSize: Math.min(1000, Math.max(1, num('stream-batch-size', 1000))),
  streamE2e: num('stream-e2e', 2000),
  timeoutSeconds: num('timeout', 120),
  pgWrites: flags['pg-writes'] === 'true',
  capacity: num('capacity', 0),
  capacityChannel: flags['capacity-channel'],
  capacityAssumptions: {
    utilisation: num('capacity-utilisation', 0.6),
    taskVcpu: num('capacity-task-vcpu', 1),
    dbMaxVcpu: num('capacity-db-max-vcpu', 64),
    sesPerSecond: flags['capacity-ses-rate'] === undefined ? null : num('capacity-ses-rate', 0),
    fcmPerSecond: num('capacity-fcm-quota', 600_000) / 60,
  },
};
if (settings.capacityChannel !== undefined && settings.capacityChannel !== 'email' && settings.capacityChannel !== 'push') throw new Error('--capacity-channel must be email or push');
if (!(settings.capacityAssumptions.utilisation > 0 && settings.capacityAssumptions.utilisation <= 1)) throw new Error('--capacity-utilisation must be in (0, 1]');

if (settings.fanoutChannel !== 'inapp' && settings.fanoutChannel !== 'push') throw new Error('--fanout-channel must be inapp or push');

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
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
  readonly push = new Map<string, number>();
  /** Arrival time of the latest push so far (epoch ms). */
  lastPushAt = 0;
  constructor(private readonly peers: Peers) {}
  async poll(): Promise<void> {
    const taken = await this.peers.take();
    for (const [id, t] of taken.smtp) this.smtp.set(id, t);
    for (const [id, t] of taken.push) {
      this.push.set(id, t);
      if (t > this.lastPushAt) this.lastPushAt = t;
    }
  }
  /** Waits until every id has arrived at the peer or the timeout passes; returns how many arrived. */
  async waitFor(peer: 'smtp' | 'push', ids: Iterable<string>, timeoutMs: number): Promise<number> {
    const wanted = [...ids];
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await this.poll();
      const arrived = wanted.filter((id) => this[peer].has(id)).length;
      if (arrived === wanted.length || Date.now() > deadline) return arrived;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

type RequestFactory = (tag: string, i: number) => unknown;

async function submitBatches(
  client: LoopbackClient,
  tag: string,
  total: number,
  batchSize: number,
  concurrency: number,
  accepted: Map<string, number>,
  request: RequestFactory = emailRequest,
): Promise<void> {
  const batches = Math.ceil(total / batchSize);
  await pool(batches, concurrency, async (b) => {
    const items = [];
    for (let i = b * batchSize; i < Math.min(total, (b + 1) * batchSize); i++) items.push(request(tag, i));
    const res = await client.post('/v1/notifications/batch', { items });
    if (res.status !== 202) throw new Error(`batch answered ${res.status}: ${JSON.stringify(res.body).slice(0, 300)}`);
    const now = Date.now();
    for (const item of res.body.items as Array<{ notifications: Array<{ id: string }> }>) for (const n of item.notifications) accepted.set(n.id, now);
  });
}

/**
 * `count` notifications submitted in batches as fast as intake takes them; the rate is arrivals at the peer
 * over the time from the first request to the last arrival, latency is accepted (202) to received.
 */
async function endToEnd(client: LoopbackClient, arrivals: Arrivals, peer: 'smtp' | 'push', tag: string, count: number, request: RequestFactory) {
  const accepted = new Map<string, number>();
  const started = Date.now();
  await submitBatches(client, tag, count, settings.batchSize, 2, accepted, request);
  return delivered(arrivals, peer, started, accepted);
}

/** How many of `accepted` (id -> accepted at) reached the peer, at what rate since `started`, and their latency. */
async function delivered(arrivals: Arrivals, peer: 'smtp' | 'push', started: number, accepted: Map<string, number>) {
  const arrived = await arrivals.waitFor(peer, accepted.keys(), settings.timeoutSeconds * 1000);
  const last = [...accepted.keys()].reduce((latest, id) => Math.max(latest, arrivals[peer].get(id) ?? 0), started + 1);
  const seconds = (last - started) / 1000;
  const latencyMs = latencySummary([...accepted].filter(([id]) => arrivals[peer].has(id)).map(([id, t]) => arrivals[peer].get(id)! - t));
  return { submitted: accepted.size, count: arrived, complete: arrived === accepted.size, seconds, perSecond: arrived / seconds, latencyMs };
}

/**
 * The BullMQ peer row: `count` push jobs added in batches of --batch-size, two in flight (as Herald's intake is
 * given them), taken by the BullMQ worker and sent to the same FCM peer. Same measures as `endToEnd`; accepted =
 * the batch's addBulk returned.
 */
async function bullmqEndToEnd(peer: BullmqPeer, arrivals: Arrivals, tag: string, count: number) {
  const started = Date.now();
  const batches = await peer.produce(tag, count, settings.batchSize, 2);
  const accepted = new Map<string, number>();
  for (const [first, n, at] of batches) for (let i = first; i < first + n; i++) accepted.set(`bullmq-${tag}-${i}`, at);
  return delivered(arrivals, 'push', started, accepted);
}

/** Batches every 50 ms at `--paced-rate` for `--paced-seconds`; accepted-to-received latency of every notification. */
async function pacedRun(client: LoopbackClient, arrivals: Arrivals, peer: 'smtp' | 'push', tag: string, request: RequestFactory) {
  const accepted = new Map<string, number>();
  const tickMs = 50;
  const perTick = Math.max(1, Math.round((settings.pacedRate * tickMs) / 1000));
  const ticks = Math.round((settings.pacedSeconds * 1000) / tickMs);
  const started = performance.now();
  const inFlight: Array<Promise<void>> = [];
  for (let k = 0; k < ticks; k++) {
    const wait = started + k * tickMs - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const items = Array.from({ length: perTick }, (_, j) => request(tag, k * perTick + j));
    inFlight.push(
      client.post('/v1/notifications/batch', { items }).then((res) => {
        if (res.status !== 202) throw new Error(`paced batch answered ${res.status}`);
        const now = Date.now();
        for (const item of res.body.items as Array<{ notifications: Array<{ id: string }> }>) for (const n of item.notifications) accepted.set(n.id, now);
      }),
    );
  }
  await Promise.all(inFlight);
  const submitSeconds = (performance.now() - started) / 1000;
  const arrived = await arrivals.waitFor(peer, accepted.keys(), settings.timeoutSeconds * 1000);
  const latencyMs = latencySummary([...accepted].filter(([id]) => arrivals[peer].has(id)).map(([id, t]) => arrivals[peer].get(id)! - t));
  return { offeredPerSecond: accepted.size / submitSeconds, submitted: accepted.size, arrived, complete: arrived === accepted.size, latencyMs };
}

/** The workflow of the workflow row: each run digests its own event for a second, then sends it as a push. */
const WORKFLOW_DIGEST_WINDOW = '1s';
const WORKFLOW_STEPS = [
  { id: 'collect', type: 'digest', window: WORKFLOW_DIGEST_WINDOW },
  { id: 'push', type: 'send', channel: 'push', content: { title: 'Order {{payload.orderId}} shipped', body: '{{digest.count}} update(s)', data: { orderId: '{{payload.orderId}}' } } },
];
/** Recipients per POST /v1/events (it takes up to 1000). */
const WORKFLOW_EVENT_RECIPIENTS = 500;

/**
 * `count` workflow runs (each recipient its own digest window) triggered in events of 500 recipients, two in flight;
 * the rate is pushes at the peer over the time from the first trigger to the last arrival, latency is the trigger's
 * 202 to the push at the peer (the window included). The pushes' ids come from the runs' notifications in PostgreSQL.
 */
async function workflowRun(client: LoopbackClient, db: Client, arrivals: Arrivals, tag: string, count: number) {
  const key = `bench-digest-${tag}`;
  const put = await client.put(`/v1/workflows/${key}`, { steps: WORKFLOW_STEPS });
  if (put.status !== 200) throw new Error(`PUT /v1/workflows answered ${put.status}: ${JSON.stringify(put.body).slice(0, 300)}`);
  const triggeredAt = new Map<string, number>();
  const started = Date.now();
  await pool(Math.ceil(count / WORKFLOW_EVENT_RECIPIENTS), 2, async (e) => {
    const recipients = [];
    for (let i = e * WORKFLOW_EVENT_RECIPIENTS; i < Math.min(count, (e + 1) * WORKFLOW_EVENT_RECIPIENTS); i++) {
      recipients.push({ userId: `wf-${tag}-${i}`, deviceTokens: [{ token: `fcm-wf-${tag}-${i}`, platform: 'fcm' }] });
    }
    const res = await client.post('/v1/events', { workflow: key, recipients, payload: { orderId: `o-${tag}-${e}` } });
    if (res.status !== 202) throw new Error(`POST /v1/events answered ${res.status}: ${JSON.stringify(res.body).slice(0, 300)}`);
    const now = Date.now();
    for (const r of res.body.runs as Array<{ id: string }>) triggeredAt.set(r.id, now);
  });
  // Each run's push, once its send step has created it.
  const accepted = new Map<string, number>();
  const deadline = Date.now() + settings.timeoutSeconds * 1000;
  while (accepted.size < count && Date.now() < deadline) {
    const { rows } = await db.query<{ id: string; run: string }>(`SELECT id, metadata->>'workflowRun' AS run FROM notifications WHERE metadata @> $1::jsonb`, [JSON.stringify({ workflow: key })]);
    for (const row of rows) accepted.set(row.id, triggeredAt.get(row.run) ?? started);
    if (accepted.size < count) await new Promise((r) => setTimeout(r, 250));
  }
  const result = await delivered(arrivals, 'push', started, accepted);
  return { ...result, runs: count, created: accepted.size, complete: result.complete && accepted.size === count };
}

/**
 * A topic with `subscribers` subscribers, written with multi-row SQL (the API takes 10,000 per call and is not
 * what is measured). With `withTokens`, each subscriber also gets a recipient profile with one FCM token.
 * Subscriptions are dated a minute back: only subscribers from before the event are its audience.
 */
async function seedTopic(db: Client, topic: string, subscribers: number, withTokens: boolean): Promise<number> {
  const started = performance.now();
  // Each topic has its own users (the prefix is the topic's key), so a second fan-out writes its own profiles.
  await db.query(`INSERT INTO topics (key, name) VALUES ($1, 'benchmark fan-out')`, [topic]);
  await db.query(
    `INSERT INTO topic_subscriptions (topic_key, user_id, created_at)
     SELECT $1, $1 || '-' || lpad(i::text, 7, '0'), now() - interval '1 minute' FROM generate_series(1, $2) AS i`,
    [topic, subscribers],
  );
  if (withTokens) {
    await db.query(
      `INSERT INTO recipients (user_id, device_tokens)
       SELECT $2 || '-' || lpad(i::text, 7, '0'), jsonb_build_array(jsonb_build_object('token', 'fcm-' || $2 || '-' || i, 'platform', 'fcm'))
       FROM generate_series(1, $1) AS i`,
      [subscribers, topic],
    );
  }
  await db.query('ANALYZE topic_subscriptions, recipients');
  return (performance.now() - started) / 1000;
}

/**
 * One event to every subscriber of `topic` through POST /v1/topics/:key/notifications. Accepted = the time
 * until GET /v1/fanouts/:id reports done (every subscriber has a notification, committed with its outbox
 * entry); delivered = the time until the last one reached the push peer or the inbox. Both waits go on while
 * the count moves and give up after --timeout seconds without progress; `deliveryWaitSeconds`, when given,
 * also ends the wait for deliveries that long after acceptance (0: the deliveries made while it was accepted).
 */
async function fanoutRun(client: LoopbackClient, db: Client, arrivals: Arrivals, topic: string, subscribers: number, deliveryWaitSeconds: number | null) {
  const channel = settings.fanoutChannel as 'inapp' | 'push';
  const content = channel === 'push' ? { push: { title: 'New book', body: 'Engines is out now.' } } : { inapp: { title: 'New book', body: 'Engines is out now.' } };
  const delivered = async (): Promise<{ count: number; lastEpoch: number }> => {
    if (channel === 'push') {
      await arrivals.poll();
      return { count: arrivals.push.size - pushBefore, lastEpoch: arrivals.lastPushAt };
    }
    const [row] = (await db.query(`SELECT count(*)::int AS n, (extract(epoch FROM max(created_at)) * 1000)::float8 AS last FROM inbox_items`)).rows;
    return { count: row.n - inboxBefore, lastEpoch: row.last ?? 0 };
  };
  await arrivals.poll();
  const pushBefore = arrivals.push.size;
  const inboxBefore = channel === 'inapp' ? (await db.query(`SELECT count(*)::int AS n FROM inbox_items`)).rows[0].n : 0;
  const startedEpoch = Date.now();
  const started = performance.now();
  const res = await client.post(`/v1/topics/${encodeURIComponent(topic)}/notifications`, { channels: [channel], content }, { 'idempotency-key': `${topic}-${stamp}` });
  if (res.status !== 202) throw new Error(`topic notification answered ${res.status}: ${JSON.stringify(res.body).slice(0, 300)}`);
  const fanoutId = res.body.id as string;
  let progress = res.body as { total: number; created: number; done: boolean };
  let createdMovedAt = Date.now();
  for (let polls = 0; !progress.done && Date.now() - createdMovedAt < settings.timeoutSeconds * 1000; polls++) {
    await new Promise((r) => setTimeout(r, 100));
    const answer = await client.get(`/v1/fanouts/${fanoutId}`);
    if (answer.status !== 200) throw new Error(`GET /v1/fanouts/${fanoutId} answered ${answer.status}`);
    if (answer.body.created > progress.created) createdMovedAt = Date.now();
    progress = answer.body;
    if (polls % 100 === 99) log(`topic fan-out to ${topic}: ${progress.created}/${progress.total} accepted`);
  }
  const acceptedSeconds = progress.done ? (performance.now() - started) / 1000 : null;
  const acceptedAt = Date.now();
  let seen = await delivered();
  const deliveredWhileAccepting = seen.count;
  log(`topic fan-out to ${topic}: ${progress.created}/${progress.total} accepted${acceptedSeconds === null ? ' (not done in time)' : ` in ${acceptedSeconds.toFixed(1)} s`}, ${seen.count} delivered meanwhile`);
  // Delivery of a large fan-out takes longer than --timeout: wait as long as deliveries keep arriving.
  let movedAt = Date.now();
  const waitEnds = deliveryWaitSeconds === null ? Infinity : acceptedAt + deliveryWaitSeconds * 1000;
  for (let polls = 0; seen.count < progress.total && Date.now() - movedAt < settings.timeoutSeconds * 1000 && Date.now() < waitEnds; polls++) {
    await new Promise((r) => setTimeout(r, 500));
    const now = await delivered();
    if (now.count > seen.count) movedAt = Date.now();
    seen = now;
    if (polls % 20 === 19) log(`topic fan-out to ${topic}: ${seen.count}/${progress.total} delivered`);
  }
  const complete = seen.count === progress.total;
  const deliveredSeconds = (seen.lastEpoch - startedEpoch) / 1000;
  return {
    channel,
    subscribers,
    total: progress.total,
    created: progress.created,
    done: progress.done,
    acceptedSeconds,
    acceptedPerSecond: acceptedSeconds === null ? null : progress.created / acceptedSeconds,
    deliveredWhileAccepting,
    delivered: seen.count,
    complete,
    /** How long after acceptance the wait for deliveries ended. */
    deliveryWaitedSeconds: round((Date.now() - acceptedAt) / 1000),
    deliveredSeconds: complete ? deliveredSeconds : null,
    /** Deliveries over the time from the POST to the last one seen: the rate, also of an unfinished delivery. */
    deliveredPerSecond: seen.count > 0 && deliveredSeconds > 0 ? seen.count / deliveredSeconds : null,
  };
}

/** CPU used by each process and by the whole machine during one phase: where the time went. */
function cpuMeter(processes: () => Array<{ name: string; pid: number | null | undefined; tree?: boolean }>) {
  const used = (p: { pid: number | null | undefined; tree?: boolean }) => (p.tree ? processTreeCpuSeconds(p.pid) : cpuSeconds(p.pid)) ?? 0;
  const before = new Map(processes().map((p) => [p.name, used(p)]));
  const machineBefore = machineCpu();
  const started = performance.now();
  return () => {
    const seconds = (performance.now() - started) / 1000;
    const machineAfter = machineCpu();
    const perProcess = Object.fromEntries(processes().map((p) => [p.name, round(used(p) - (before.get(p.name) ?? 0))]));
    const busy = machineBefore && machineAfter ? (machineAfter.busy - machineBefore.busy) / (machineAfter.total - machineBefore.total) : null;
    return { seconds: round(seconds), cpuSecondsByProcess: perProcess, machineBusyShare: busy === null ? null : round(busy) };
  };
}
const round = (n: number) => Math.round(n * 100) / 100;

async function main(): Promise<void> {
  if (flags['capacity-from']) {
    printCapacity(JSON.parse(readFileSync(flags['capacity-from'], 'utf8')).raw as Record<string, unknown>, settings.capacity || 10_000);
    return;
  }
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
    LINK_SIGNING_SECRET: randomBytes(32).toString('hex'),
    PUBLIC_URL: 'https://herald.bench.test',
    PUSH_PROVIDERS: 'fcm',
    FCM_PROJECT_ID: FCM_PROJECT,
    FCM_ACCESS_TOKEN: 'bench-access-token',
    FCM_BASE_URL: `http://127.0.0.1:${peers.pushPort}`,
  };
  const profileDir = settings.profile ? join(runDir, 'profiles') : undefined;
  // PostgreSQL's memory, sampled every second: its backends share shared_buffers, so its VmHWM says little.
  const pgMemory = { peak: { pssMb: 0, largestRssMb: 0 } };
  const sampleMemory = () => {
    const now = processTreeMemoryMb(pg.pid());
    if (now) pgMemory.peak = { pssMb: Math.max(pgMemory.peak.pssMb, now.pssMb), largestRssMb: Math.max(pgMemory.peak.largestRssMb, now.largestRssMb) };
  };
  const memorySampler = setInterval(sampleMemory, 1000);
  const heraldName = (h: HeraldProcess) => {
    const same = heralds.filter((x) => x.role === h.role);
    return `herald ${h.role}${same.length > 1 ? ` #${same.indexOf(h) + 1}` : ''}`;
  };
  const start = (role: string, extra: Record<string, string> = {}) =>
    startHeraldProcess(role, { ...env, ...extra }, { logDir: join(runDir, 'logs'), profileDir, heapMb: settings.heapMb }).then((p) => (heralds.push(p), p));

  try {
    // --- Baselines, before Herald runs, each on an otherwise idle machine.
    const api = await start('api'); // also migrates the database: the raw INSERT copies its notifications table
    log('baseline: raw multi-row INSERT');
    const rawInsert = await rawInsertRate(pg.url, settings.notifications, settings.batchSize, settings.batchConcurrency, settings.baselineRounds);
    log('baseline: raw nodemailer to the SMTP peer');
    const rawSmtp = await rawSmtpRate(peers.smtpPort, settings.rawSmtp, settings.smtpPool, settings.baselineRounds);
    log('baseline: raw HTTP to the push peer');
    const rawHttp = await rawHttpRate(peers.pushPort, settings.rawHttp, settings.httpConcurrency, settings.baselineRounds);
    await peers.take();
    raw.baselines = { rawInsert, rawSmtp, rawHttp };

    // --- Intake, with only the api role running: what one api process accepts durably.
    const processes = () => [
      ...heralds.map((h, i) => {
        const before = heralds.slice(0, i).filter((x) => x.role === h.role).length;
        return { name: `herald ${h.role}${before > 0 ? ` #${before + 1}` : ''}`, pid: h.child.pid };
      }),
      ...(pg.pid() ? [{ name: 'PostgreSQL', pid: pg.pid(), tree: true }] : []),
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

    // --- DynamoDB Streams: records written before one stream process starts (with no SQS setting: it needs none).
    // Measured as intake is, with no delivery running: the records' notifications wait in the outbox, and are
    // followed to the SMTP peer once the relay and the workers start ("Stream records end to end" below).
    let stream: (StreamResult & { live?: LiveStream }) | null = null;
    if (settings.streamRecords > 0) {
      const streamEnv = Object.fromEntries(Object.entries(env).filter(([k]) => !k.startsWith('SQS_')));
      stream = await streamRow({
        settings: { records: settings.streamRecords, warmup: settings.streamWarmup, batchSize: settings.streamBatchSize, baselineRounds: settings.baselineRounds, timeoutSeconds: settings.timeoutSeconds },
        databaseUrl: pg.url,
        postgresPid: pg.pid(),
        region: env.AWS_REGION,
        log,
        startStream: (extra) => startHeraldProcess('stream', { ...streamEnv, ...extra }, { logDir: join(runDir, 'logs'), profileDir, heapMb: settings.heapMb }),
        keepRunning: true,
      });
      raw.stream = { ...stream, live: undefined };
      log(`stream: CPU ms/record ${formatCpu(stream.cpuMsPerRecord)}; raw drain ${formatCpu(stream.baselineCpuMsPerRecord)}`);
    }

    // --- End to end, with every role in its own process.
    // The relay starts last: with the stream's records waiting in the outbox, delivery begins with it.
    for (let w = 0; w < settings.workers; w++) await start('worker:email', settings.workerEnv);
    for (let w = 0; w < settings.pushWorkers; w++) await start('worker:push', settings.workerEnv);
    if (settings.fanout > 0 && settings.fanoutChannel === 'inapp') for (let w = 0; w < settings.workers; w++) await start('worker:inapp', settings.workerEnv);
    await start('scheduler');
    const arrivals = new Arrivals(peers);

    // --- The stream's committed records, delivered now that delivery runs; then new records written with the stream
    // process running, from the time DynamoDB Local answered their write to their arrival at the SMTP peer.
    let streamDelivery: StreamDelivery | null = null;
    if (!stream?.live) await start('relay');
    else {
      const live = stream.live;
      try {
        streamDelivery = await streamEndToEnd(db, arrivals, live, () => [...processes(), { name: 'herald stream', pid: live.pid }], cpu, () => start('relay'));
        raw.streamDelivery = streamDelivery;
      } finally {
        await live.stop();
      }
    }

    const writes = settings.pgWrites ? await pgWrites(db) : null;
    const pgWriteRuns: Record<string, PgWrites> = {};
    raw.pgWrites = pgWriteRuns;

    // Each end-to-end run follows an untimed warm-up of a tenth (at least 100), as the BullMQ row does: the worker
    // runs warm (JIT, its connections and lazily built parts), as a deployed one does.
    const warmupOf = (n: number) => Math.max(100, Math.ceil(n / 10));
    log(`end to end: warm-up of ${warmupOf(settings.e2e)} emails, then ${settings.e2e} emails, submitted as fast as intake allows`);
    await endToEnd(client, arrivals, 'smtp', 'e2e-warmup', warmupOf(settings.e2e), emailRequest);
    await writes?.begin();
    let pgBefore = await pgCounters(db);
    meter = cpuMeter(processes);
    const e2eEmail = await endToEnd(client, arrivals, 'smtp', 'e2e', settings.e2e, emailRequest);
    cpu.e2eEmail = meter();
    const pgRuns: Record<string, { commits: number; walBytes: number }> = { e2eEmail: pgDelta(pgBefore, await pgCounters(db)) };
    if (writes) pgWriteRuns.e2eEmail = await writes.end(e2eEmail.count);
    raw.postgres = pgRuns;
    raw.e2eEmail = e2eEmail;

    log(`latency, email: ${settings.pacedRate}/s for ${settings.pacedSeconds} s`);
    const pacedEmail = await pacedRun(client, arrivals, 'smtp', 'paced', emailRequest);
    raw.paced = pacedEmail;

    log(`end to end: warm-up of ${warmupOf(settings.e2ePush)} pushes, then ${settings.e2ePush} push notifications (one FCM token each), submitted as fast as intake allows`);
    await endToEnd(client, arrivals, 'push', 'e2e-push-warmup', warmupOf(settings.e2ePush), pushRequest);
    await writes?.begin();
    pgBefore = await pgCounters(db);
    meter = cpuMeter(processes);
    const e2ePush = await endToEnd(client, arrivals, 'push', 'e2e-push', settings.e2ePush, pushRequest);
    cpu.e2ePush = meter();
    pgRuns.e2ePush = pgDelta(pgBefore, await pgCounters(db));
    if (writes) pgWriteRuns.e2ePush = await writes.end(e2ePush.count);
    raw.e2ePush = e2ePush;

    log(`latency, push: ${settings.pacedRate}/s for ${settings.pacedSeconds} s`);
    const pacedPush = await pacedRun(client, arrivals, 'push', 'paced-push', pushRequest);
    raw.pacedPush = pacedPush;

    // --- Workflow runs, each through a digest step and a push, next to the plain push rate above.
    let workflow: Awaited<ReturnType<typeof workflowRun>> | null = null;
    if (settings.workflowRuns > 0) {
      log(`workflows: ${settings.workflowRuns} runs with a ${WORKFLOW_DIGEST_WINDOW} digest step, then a push each`);
      meter = cpuMeter(processes);
      workflow = await workflowRun(client, db, arrivals, stamp.replace(/[^0-9a-z]/gi, '').toLowerCase(), settings.workflowRuns);
      cpu.workflow = meter();
      raw.workflow = workflow;
    }

    // --- The peer row: the same pushes through BullMQ on Redis, configured as Novu configures its workers.
    let bullmq: (EndToEnd & { redisPid: number | null }) | null = null;
    let bullmqSkipped: string | null = null;
    if (settings.bullmq === 0) bullmqSkipped = '--bullmq 0';
    else if (!(await redisAnswers(REDIS_URL))) bullmqSkipped = `no Redis answers at ${REDIS_URL}`;
    if (bullmqSkipped) log(`BullMQ row skipped: ${bullmqSkipped}`);
    else {
      const peer = await startBullmqPeer(REDIS_URL, peers.pushPort, `herald-bench-${stamp}`);
      try {
        const warm = warmupOf(settings.bullmq);
        log(`BullMQ on ${REDIS_URL}: warm-up of ${warm} pushes, then ${settings.bullmq} pushes end to end`);
        await bullmqEndToEnd(peer, arrivals, 'warmup', warm);
        meter = cpuMeter(() => [
          { name: 'BullMQ worker', pid: peer.worker.pid },
          { name: 'BullMQ producer', pid: peer.producer.pid },
          ...(peer.redisPid ? [{ name: 'redis-server', pid: peer.redisPid }] : []),
          { name: 'provider peers', pid: peers.process.pid },
          { name: 'bench driver', pid: process.pid },
        ]);
        bullmq = { ...(await bullmqEndToEnd(peer, arrivals, 'e2e', settings.bullmq)), redisPid: peer.redisPid };
        cpu.bullmqPush = meter();
        raw.bullmqPush = bullmq;
        if (!peer.redisPid) log(`BullMQ row: the Redis at ${REDIS_URL} does not run on this machine; its CPU is not counted`);
      } finally {
        await peer.stop();
      }
    }

    // --- Topic fan-out: one event to every subscriber of a topic seeded in SQL.
    let fanout: Awaited<ReturnType<typeof fanoutRun>> | null = null;
    if (settings.fanout > 0) {
      log(`topic fan-out: seeding ${settings.fanout} subscribers${settings.fanoutChannel === 'push' ? ' with one FCM token each' : ''}`);
      await seedTopic(db, 'bench-fanout', settings.fanout, settings.fanoutChannel === 'push');
      log(`topic fan-out: one event to ${settings.fanout} subscribers on ${settings.fanoutChannel}`);
      meter = cpuMeter(processes);
      fanout = await fanoutRun(client, db, arrivals, 'bench-fanout', settings.fanout, null);
      cpu.fanout = meter();
      raw.fanout = fanout;
    }
    // --- The million fan-out (--fanout-million): accepted, deliveries within a bounded wait, and memory.
    let million: MillionFanout | null = null;
    if (settings.fanoutMillion) {
      const n = 1_000_000;
      log(`topic fan-out to a million: seeding ${n} subscribers${settings.fanoutChannel === 'push' ? ' with one FCM token each' : ''}`);
      const seedSeconds = await seedTopic(db, 'bench-million', n, settings.fanoutChannel === 'push');
      log(`topic fan-out to a million: subscribers written in ${seedSeconds.toFixed(1)} s; one event to them on ${settings.fanoutChannel}`);
      const pgPeakBefore = { ...pgMemory.peak };
      pgMemory.peak = { pssMb: 0, largestRssMb: 0 };
      meter = cpuMeter(processes);
      const run = await fanoutRun(client, db, arrivals, 'bench-million', n, settings.fanoutMillionDeliverySeconds);
      cpu.fanoutMillion = meter();
      million = {
        ...run,
        seedSeconds,
        peakRssMb: Object.fromEntries(heralds.map((h) => [heraldName(h), h.peakRssMb()])),
        postgresPeak: { ...pgMemory.peak },
      };
      pgMemory.peak = { pssMb: Math.max(pgPeakBefore.pssMb, pgMemory.peak.pssMb), largestRssMb: Math.max(pgPeakBefore.largestRssMb, pgMemory.peak.largestRssMb) };
      raw.fanoutMillion = million;
    }
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
      pushQueueDepth: total('herald_queue_depth', { channel: 'push' }),
      inappQueueDepth: total('herald_queue_depth', { channel: 'inapp' }),
    };
    log(`Herald's metrics: ${JSON.stringify(raw.metrics)}`);

    // --- Memory: peak RSS of every process, read before they stop.
    const memory: Record<string, number | null> = {};
    for (const h of heralds) memory[heraldName(h)] = h.peakRssMb();
    sampleMemory();
    memory['PostgreSQL, all processes, PSS'] = pgMemory.peak.pssMb || null;
    memory['PostgreSQL, largest process'] = pgMemory.peak.largestRssMb || null;
    memory['SQS emulator'] = peakRssMb(sqs.process.pid);
    memory['provider peers'] = peakRssMb(peers.process.pid);
    raw.peakRssMb = memory;

    const heraldPush = cpuPerDelivery('push delivered', cpu.e2ePush as CpuUsage, e2ePush.count, HERALD_COUNTED, 'Herald + PostgreSQL', 0.3);
    const bullmqPush = bullmq
      ? cpuPerDelivery('push delivered through BullMQ', cpu.bullmqPush as CpuUsage, bullmq.count, (name) => name.startsWith('BullMQ') || name === 'redis-server', bullmq.redisPid ? 'BullMQ worker + producer + redis-server' : 'BullMQ worker + producer')
      : null;
    if (bullmqPush && !bullmq?.redisPid) bullmqPush.total = null;
    rows.push(
      { measure: 'intake, batch (notifications/s)', herald: intakeBatch.perSecond, unit: '/s', baseline: { name: 'raw multi-row INSERT', value: rawInsert.perSecond }, target: { text: '>= 10,000/s', met: intakeBatch.perSecond >= 10_000 } },
      { measure: `intake, single requests x${settings.singleConcurrency} (/s)`, herald: intakeSingle.perSecond, unit: '/s', baseline: { name: 'raw multi-row INSERT', value: rawInsert.perSecond } },
      ...endToEndRows('email', 'SMTP', e2eEmail, pacedEmail, { name: 'raw nodemailer -> SMTP', value: rawSmtp.perSecond }, {
        text: '>= 60% of raw SMTP',
        met: e2eEmail.complete ? e2eEmail.perSecond >= 0.6 * rawSmtp.perSecond : false,
      }),
      ...endToEndRows('push', 'FCM peer', e2ePush, pacedPush, { name: 'raw HTTP -> FCM peer', value: rawHttp.perSecond }, {
        text: '>= 5,000/s',
        met: e2ePush.complete ? e2ePush.perSecond >= 5000 : false,
      }),
      ...(bullmq
        ? [
            {
              measure: 'end to end, push through BullMQ (delivered/s)',
              herald: bullmq.complete ? bullmq.perSecond : null,
              unit: '/s',
              baseline: { name: 'raw HTTP -> FCM peer', value: rawHttp.perSecond },
              note: bullmq.complete ? "peer row: Novu's worker and job options" : `only ${bullmq.count}/${bullmq.submitted} delivered within ${settings.timeoutSeconds} s`,
            },
            { measure: 'end to end, push through BullMQ, p99 latency (ms)', herald: bullmq.latencyMs.p99, unit: 'ms', note: 'backlog run: includes queueing' },
          ]
        : [{ measure: 'end to end, push through BullMQ (delivered/s)', herald: null, unit: '/s', note: `skipped: ${bullmqSkipped}` }]),
      ...(workflow ? workflowRows(workflow, e2ePush.perSecond) : []),
      ...(fanout ? fanoutRows(fanout, rawInsert.perSecond, rawHttp.perSecond) : []),
      ...(million ? millionRows(million, rawInsert.perSecond, rawHttp.perSecond) : []),
      // CPU per delivered notification, by process. Herald's figure counts its own processes and PostgreSQL; the SQS
      // emulator (a stand-in for a managed queue), the provider peers and the driver are shown and not counted.
      ...cpuPerDelivery('email delivered', cpu.e2eEmail as CpuUsage, e2eEmail.count, HERALD_COUNTED, 'Herald + PostgreSQL', 0.6).rows,
      ...heraldPush.rows,
      // A workflow run's CPU, its push's delivery included: the scheduler's share is the engine's.
      ...(workflow ? cpuPerDelivery('workflow run delivered', cpu.workflow as CpuUsage, workflow.count, HERALD_COUNTED, 'Herald + PostgreSQL').rows : []),
      // The stream path's CPU per record, by process, with its target, is among the stream rows.
      ...(bullmqPush ? bullmqPush.rows : []),
      {
        measure: 'CPU per delivered push: Herald + PostgreSQL / BullMQ (x)',
        herald: heraldPush.total !== null && bullmqPush?.total ? heraldPush.total / bullmqPush.total : null,
        unit: 'x',
        target: {
          text: '<= 1.5x',
          met: heraldPush.total !== null && bullmqPush?.total ? heraldPush.total / bullmqPush.total <= 1.5 : null,
        },
        note: bullmqPush ? (bullmqPush.total === null ? 'redis-server CPU unknown' : 'BullMQ = worker + producer + redis-server') : `BullMQ row skipped: ${bullmqSkipped}`,
      },
      ...(stream ? streamRows(stream) : []),
      ...(streamDelivery ? streamDeliveryRows(streamDelivery, cpu.streamBacklog as CpuUsage | undefined) : []),
      ...Object.entries(memory).map(([name, mb]): Row => ({
        measure: `peak RSS, ${name} (MB)`,
        herald: mb,
        unit: 'MB',
        target: name.startsWith('herald') ? { text: '< 300 MB', met: mb === null ? null : mb < 300 } : undefined,
        note: name.startsWith('PostgreSQL') ? 'sampled every second' : undefined,
      })),
    );
  } finally {
    clearInterval(memorySampler);
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
  for (const [run, w] of Object.entries((raw.pgWrites ?? {}) as Record<string, PgWrites>)) printPgWrites(run, w);
  for (const [phase, usage] of Object.entries((raw.cpu ?? {}) as Record<string, ReturnType<ReturnType<typeof cpuMeter>>>)) {
    const parts = Object.entries(usage.cpuSecondsByProcess).map(([name, s]) => `${name} ${s}s`).join(', ');
    process.stdout.write(`CPU during ${phase} (${usage.seconds} s, machine ${usage.machineBusyShare === null ? '?' : Math.round(usage.machineBusyShare * 100)}% busy): ${parts}\n`);
  }
  if (settings.capacity > 0) printCapacity(raw, settings.capacity);
  const file = join(outDir, `bench-${stamp}.json`);
  writeFileSync(file, JSON.stringify({ at: new Date().toISOString(), machine, settings, rows, raw }, null, 2));
  log(`results: ${file}; Herald logs${settings.profile ? ' and CPU profiles' : ''}: ${runDir}`);
}

type EndToEnd = Awaited<ReturnType<typeof endToEnd>>;

/** Commits of every database and the WAL position: their difference over a run is what the run wrote. */
async function pgCounters(db: Client): Promise<{ commits: number; walBytes: number }> {
  const { rows } = await db.query<{ commits: string; wal: string }>(
    `SELECT (SELECT sum(xact_commit) FROM pg_stat_database)::text AS commits, (pg_current_wal_lsn() - '0/0'::pg_lsn)::text AS wal`,
  );
  return { commits: Number(rows[0].commits), walBytes: Number(rows[0].wal) };
}
const pgDelta = (a: { commits: number; walBytes: number }, b: { commits: number; walBytes: number }) => ({ commits: b.commits - a.commits, walBytes: b.walBytes - a.walBytes });

interface PgWrites {
  notifications: number;
  walRecords: number;
  walBytes: number;
  notificationUpdates: number;
  notificationHotUpdates: number;
  /** The notification table's heap (main fork), and the table with its indexes, when the run ended, bytes. */
  notificationHeapBytes: number;
  notificationTotalBytes: number;
  statements: Array<{ query: string; calls: number; walRecords: number; walBytes: number }>;
}

/**
 * What PostgreSQL writes per notification in a run (--pg-writes): pg_stat_statements' WAL records and bytes by
 * statement, reset when the run begins, and the notification table's updates and heap-only updates. Table statistics
 * reach the view up to 10 s after a busy backend goes idle, so the end waits 11 s before reading them.
 */
async function pgWrites(db: Client): Promise<{ begin(): Promise<void>; end(notifications: number): Promise<PgWrites> }> {
  await db.query(`CREATE EXTENSION IF NOT EXISTS pg_stat_statements`);
  const tableCounts = async () => {
    await db.query(`SELECT pg_stat_clear_snapshot()`);
    const { rows } = await db.query<{ upd: string; hot: string }>(
      `SELECT n_tup_upd::text AS upd, n_tup_hot_upd::text AS hot FROM pg_stat_user_tables WHERE relname = 'notifications'`,
    );
    const [size] = (
      await db.query<{ heap: string; total: string }>(`SELECT pg_relation_size('notifications')::text AS heap, pg_total_relation_size('notifications')::text AS total`)
    ).rows;
    return { upd: Number(rows[0]?.upd ?? 0), hot: Number(rows[0]?.hot ?? 0), heap: Number(size.heap), total: Number(size.total) };
  };
  let before = { upd: 0, hot: 0, heap: 0, total: 0 };
  return {
    async begin() {
      await new Promise((r) => setTimeout(r, 11_000));
      before = await tableCounts();
      await db.query(`SELECT pg_stat_statements_reset()`);
    },
    async end(notifications: number) {
      const { rows } = await db.query<{ query: string; calls: string; wal_records: string; wal_bytes: string }>(
        `SELECT query, calls::text, wal_records::text, wal_bytes::text FROM pg_stat_statements
         WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) ORDER BY pg_stat_statements.wal_records DESC`,
      );
      await new Promise((r) => setTimeout(r, 11_000));
      const after = await tableCounts();
      const statements = rows.map((r) => ({ query: r.query, calls: Number(r.calls), walRecords: Number(r.wal_records), walBytes: Number(r.wal_bytes) }));
      return {
        notifications,
        walRecords: statements.reduce((a, s) => a + s.walRecords, 0),
        walBytes: statements.reduce((a, s) => a + s.walBytes, 0),
        notificationUpdates: after.upd - before.upd,
        notificationHotUpdates: after.hot - before.hot,
        notificationHeapBytes: after.heap,
        notificationTotalBytes: after.total,
        statements,
      };
    },
  };
}

function printPgWrites(run: string, w: PgWrites): void {
  const per = (n: number) => (w.notifications > 0 ? (n / w.notifications).toFixed(2) : '?');
  process.stdout.write(
    `PostgreSQL writes during ${run} (${w.notifications} delivered): ${per(w.walRecords)} WAL records and ${per(w.walBytes)} bytes per notification; ` +
      `notification updates ${w.notificationUpdates}, heap-only ${w.notificationHotUpdates} (${w.notificationUpdates > 0 ? Math.round((100 * w.notificationHotUpdates) / w.notificationUpdates) : 0}%); notifications heap ${(w.notificationHeapBytes / 2 ** 20).toFixed(1)} MiB, with indexes ${(w.notificationTotalBytes / 2 ** 20).toFixed(1)} MiB\n`,
  );
  for (const s of w.statements.filter((x) => x.walRecords > 0).slice(0, 12)) {
    process.stdout.write(`  ${per(s.walRecords).padStart(7)} rec ${per(s.walBytes).padStart(8)} B ${String(s.calls).padStart(6)} calls  ${s.query.replace(/\s+/g, ' ').slice(0, 110)}\n`);
  }
}

/**
 * The capacity model (bench/capacity.ts, docs/capacity.md) from a run's raw figures: its CPU per delivered
 * notification of the email and push end-to-end runs, their PostgreSQL commits and WAL, and the stream row.
 */
function printCapacity(raw: Record<string, unknown>, eventsPerSecond: number): void {
  const cpu = (raw.cpu ?? {}) as Record<string, CpuUsage | undefined>;
  const pg = (raw.postgres ?? {}) as Record<string, { commits: number; walBytes: number } | undefined>;
  const stream = raw.stream as StreamResult | undefined;
  const channels: Array<[CapacityChannel, string]> = [['email', 'e2eEmail'], ['push', 'e2ePush']];
  for (const [channel, run] of channels) {
    if (settings.capacityChannel && settings.capacityChannel !== channel) continue;
    const usage = cpu[run];
    const delivered = (raw[run] as EndToEnd | undefined)?.count ?? 0;
    if (!usage || delivered === 0) {
      process.stdout.write(`capacity, ${channel}: no ${channel} run measured\n`);
      continue;
    }
    const measured: MeasuredChannel = {
      channel,
      delivered,
      cpuMs: Object.fromEntries(Object.entries(usage.cpuSecondsByProcess).map(([name, s]) => [name, (s * 1000) / delivered])),
      commits: pg[run] ? pg[run].commits / delivered : null,
      walBytes: pg[run] ? pg[run].walBytes / delivered : null,
    };
    const assumptions = { ...settings.capacityAssumptions, eventsPerSecond, idsPerMessage: 10, messagesPerReceive: 10, streamMsPerRecord: stream?.cpuMsPerRecord?.['herald stream'] ?? null };
    process.stdout.write(`\n${formatPlan(planCapacity(measured, assumptions), assumptions)}`);
    process.stdout.write(`(from ${delivered} ${channel} notifications delivered in ${usage.seconds} s, machine ${usage.machineBusyShare === null ? '?' : Math.round(usage.machineBusyShare * 100)}% busy)\n`);
  }
}
type CpuUsage = ReturnType<ReturnType<typeof cpuMeter>>;

/** The processes Herald's CPU per notification counts: its roles and PostgreSQL. */
const HERALD_COUNTED = (name: string) => name.startsWith('herald ') || name === 'PostgreSQL';

/**
 * CPU milliseconds per delivered notification of one phase: a row per process that used any, then the sum of the
 * `counted` ones (with its target, when given). Processes not counted are shown with a note.
 */
function cpuPerDelivery(channel: string, usage: CpuUsage | undefined, delivered: number, counted: (name: string) => boolean, totalName: string, targetMs?: number): { rows: Row[]; total: number | null } {
  if (!usage || delivered === 0) return { rows: [], total: null };
  const perDelivery = (seconds: number) => (seconds * 1000) / delivered;
  const entries = Object.entries(usage.cpuSecondsByProcess);
  const total = perDelivery(entries.filter(([name]) => counted(name)).reduce((sum, [, s]) => sum + s, 0));
  const rows: Row[] = entries
    .filter(([name, s]) => s > 0 || counted(name))
    .map(([name, s]) => ({ measure: `CPU per ${channel}, ${name} (ms)`, herald: perDelivery(s), unit: 'cpu ms', note: counted(name) ? undefined : 'not counted' }));
  rows.push({
    measure: `CPU per ${channel}, ${totalName} (ms)`,
    herald: total,
    unit: 'cpu ms',
    target: targetMs === undefined ? undefined : { text: `<= ${targetMs.toFixed(2)} ms`, met: total <= targetMs },
    note: `${delivered} delivered in ${usage.seconds} s, machine ${usage.machineBusyShare === null ? '?' : Math.round(usage.machineBusyShare * 100)}% busy`,
  });
  return { rows, total };
}
type Paced = Awaited<ReturnType<typeof pacedRun>>;

function endToEndRows(channel: string, peer: string, e2e: EndToEnd, paced: Paced, baseline: { name: string; value: number }, target: { text: string; met: boolean }): Row[] {
  return [
    {
      measure: `end to end, ${channel} (delivered/s)`,
      herald: e2e.complete ? e2e.perSecond : null,
      unit: '/s',
      baseline,
      target,
      note: e2e.complete ? undefined : `only ${e2e.count}/${e2e.submitted} delivered within ${settings.timeoutSeconds} s`,
    },
    { measure: `end to end, ${channel}, p50 latency (ms)`, herald: e2e.latencyMs.p50, unit: 'ms', note: 'backlog run: includes queueing' },
    { measure: `end to end, ${channel}, p95 latency (ms)`, herald: e2e.latencyMs.p95, unit: 'ms', note: 'backlog run: includes queueing' },
    { measure: `end to end, ${channel}, p99 latency (ms)`, herald: e2e.latencyMs.p99, unit: 'ms', note: 'backlog run: includes queueing' },
    { measure: `accepted -> ${peer} at ${settings.pacedRate}/s, p50 (ms)`, herald: paced.latencyMs.p50, unit: 'ms' },
    { measure: `accepted -> ${peer} at ${settings.pacedRate}/s, p95 (ms)`, herald: paced.latencyMs.p95, unit: 'ms' },
    {
      measure: `accepted -> ${peer} at ${settings.pacedRate}/s, p99 (ms)`,
      herald: paced.complete ? paced.latencyMs.p99 : null,
      unit: 'ms',
      target: { text: '< 1000 ms', met: paced.complete && paced.latencyMs.p99 !== null ? paced.latencyMs.p99 < 1000 : false },
      note: paced.complete ? undefined : `only ${paced.arrived}/${paced.submitted} delivered`,
    },
  ];
}

function workflowRows(w: Awaited<ReturnType<typeof workflowRun>>, plainPushPerSecond: number): Row[] {
  return [
    {
      measure: `workflow runs, ${WORKFLOW_DIGEST_WINDOW} digest then push (runs delivered/s)`,
      herald: w.complete ? w.perSecond : null,
      unit: '/s',
      baseline: { name: 'plain push end to end, this run', value: plainPushPerSecond },
      note: w.complete ? `${w.runs} runs` : `only ${w.count}/${w.runs} delivered within ${settings.timeoutSeconds} s`,
    },
    { measure: 'workflow runs, trigger -> push at the peer, p50 (ms)', herald: w.latencyMs.p50, unit: 'ms', note: `includes the ${WORKFLOW_DIGEST_WINDOW} window` },
    { measure: 'workflow runs, trigger -> push at the peer, p99 (ms)', herald: w.latencyMs.p99, unit: 'ms', note: `includes the ${WORKFLOW_DIGEST_WINDOW} window` },
  ];
}

function fanoutRows(f: Awaited<ReturnType<typeof fanoutRun>>, rawInsertPerSecond: number, rawHttpPerSecond: number): Row[] {
  const n = f.subscribers.toLocaleString('en-US');
  return [
    {
      measure: `topic fan-out to ${n}: accepted as notifications (s)`,
      herald: f.acceptedSeconds,
      unit: 's',
      target: f.subscribers >= 1_000_000
        ? { text: '< 60 s for 1,000,000', met: f.acceptedSeconds === null ? false : f.acceptedSeconds < 60 }
        : { text: '< 10 s for 100,000', met: f.acceptedSeconds === null ? false : f.subscribers >= 100_000 ? f.acceptedSeconds < 10 : null },
      note: f.done ? 'POST to GET /v1/fanouts/:id done' : `only ${f.created}/${f.total} created, then none for ${settings.timeoutSeconds} s`,
    },
    { measure: `topic fan-out to ${n}: accepted (notifications/s)`, herald: f.acceptedPerSecond, unit: '/s', baseline: { name: 'raw multi-row INSERT', value: rawInsertPerSecond } },
    {
      measure: `topic fan-out to ${n}: all delivered, ${f.channel} (s)`,
      herald: f.deliveredSeconds,
      unit: 's',
      note: f.complete ? 'POST to the last arrival' : `only ${f.delivered}/${f.total} delivered, ${f.deliveryWaitedSeconds} s after acceptance`,
    },
    {
      measure: `topic fan-out to ${n}: delivered, ${f.channel} (/s)`,
      herald: f.deliveredPerSecond,
      unit: '/s',
      baseline: f.channel === 'push' ? { name: 'raw HTTP -> FCM peer', value: rawHttpPerSecond } : { name: 'raw multi-row INSERT', value: rawInsertPerSecond },
      note: f.complete ? undefined : 'so far: delivered over POST to the last arrival seen',
    },
  ];
}

type MillionFanout = Awaited<ReturnType<typeof fanoutRun>> & {
  seedSeconds: number;
  /** VmHWM of every Herald process right after the fan-out was accepted and its delivery wait ended. */
  peakRssMb: Record<string, number | null>;
  /** PostgreSQL's memory sampled every second during the fan-out. */
  postgresPeak: { pssMb: number; largestRssMb: number };
};

function millionRows(f: MillionFanout, rawInsertPerSecond: number, rawHttpPerSecond: number): Row[] {
  const pre = 'topic fan-out to 1,000,000';
  return [
    { measure: `${pre}: subscribers written (s)`, herald: f.seedSeconds, unit: 's', note: `${f.subscribers.toLocaleString('en-US')} subscriptions${f.channel === 'push' ? ' and profiles with a token' : ''}, INSERT ... generate_series` },
    ...fanoutRows(f, rawInsertPerSecond, rawHttpPerSecond),
    { measure: `${pre}: delivered while being accepted, ${f.channel}`, herald: f.deliveredWhileAccepting, unit: '' },
    ...Object.entries(f.peakRssMb).map(([name, mb]): Row => ({
      measure: `${pre}: peak RSS, ${name} (MB)`,
      herald: mb,
      unit: 'MB',
      target: { text: '< 300 MB', met: mb === null ? null : mb < 300 },
    })),
    { measure: `${pre}: peak memory, PostgreSQL, all processes (PSS, MB)`, herald: f.postgresPeak.pssMb || null, unit: 'MB', note: 'sampled every second; shared_buffers counted once' },
    { measure: `${pre}: peak RSS, PostgreSQL, largest process (MB)`, herald: f.postgresPeak.largestRssMb || null, unit: 'MB', note: 'sampled every second' },
  ];
}

interface StreamDelivery {
  /** The records committed in the stream row, delivered once the relay and the workers were up. */
  backlog: { submitted: number; count: number; complete: boolean; seconds: number; perSecond: number };
  /** Records written with delivery running: from DynamoDB Local's answer to the write to the SMTP peer. */
  fresh: { submitted: number; count: number; complete: boolean; latencyMs: ReturnType<typeof latencySummary> } | null;
}

/** Notification id -> order id of every notification the stream process committed for `source`. */
async function streamNotifications(db: Client, source: string): Promise<Map<string, string>> {
  const { rows } = await db.query<{ id: string; pk: string }>(
    `SELECT n.id, n.metadata->>'orderId' AS pk FROM notifications n JOIN notification_requests r ON r.id = n.request_id WHERE r.source = $1`,
    [source],
  );
  return new Map(rows.map((r) => [r.id, r.pk]));
}

/**
 * The stream row's records to the SMTP peer: the committed ones once `startRelay` has started the relay (the workers
 * and the scheduler are up), the CPU meter running from just before it (so the relay's start is in it), then new
 * records written with everything running.
 */
async function streamEndToEnd(
  db: Client,
  arrivals: Arrivals,
  live: LiveStream,
  processes: () => Array<{ name: string; pid: number | null | undefined; tree?: boolean }>,
  cpu: Record<string, unknown>,
  startRelay: () => Promise<unknown>,
): Promise<StreamDelivery> {
  const committed = await streamNotifications(db, live.source);
  log(`stream end to end: the ${committed.size} committed records' emails, delivered once the relay starts`);
  // The relay joins the processes after the meter begins: its CPU from its start is counted in full.
  const meter = cpuMeter(processes);
  const started = Date.now();
  await startRelay();
  const arrived = await arrivals.waitFor('smtp', committed.keys(), settings.timeoutSeconds * 1000);
  const last = [...committed.keys()].reduce((latest, id) => Math.max(latest, arrivals.smtp.get(id) ?? 0), started + 1);
  cpu.streamBacklog = meter();
  const seconds = (last - started) / 1000;
  const backlog = { submitted: committed.size, count: arrived, complete: arrived === committed.size, seconds: round(seconds), perSecond: arrived / seconds };
  if (settings.streamE2e <= 0) return { backlog, fresh: null };

  log(`stream end to end: ${settings.streamE2e} new records written with delivery running`);
  const writtenAt = await live.write(settings.streamE2e);
  const deadline = Date.now() + settings.timeoutSeconds * 1000;
  let fresh = new Map<string, string>();
  while (Date.now() < deadline) {
    fresh = new Map([...(await streamNotifications(db, live.source))].filter(([, pk]) => writtenAt.has(pk)));
    if (fresh.size === writtenAt.size) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  const freshArrived = await arrivals.waitFor('smtp', fresh.keys(), Math.max(1000, deadline - Date.now()));
  const latencies = [...fresh].filter(([id]) => arrivals.smtp.has(id)).map(([id, pk]) => arrivals.smtp.get(id)! - writtenAt.get(pk)!);
  return { backlog, fresh: { submitted: writtenAt.size, count: freshArrived, complete: freshArrived === writtenAt.size, latencyMs: latencySummary(latencies) } };
}

function streamDeliveryRows(d: StreamDelivery, usage: CpuUsage | undefined): Row[] {
  const rows: Row[] = [
    {
      measure: `stream records end to end: the ${d.backlog.submitted.toLocaleString('en-US')} committed, delivered to SMTP (/s)`,
      herald: d.backlog.complete ? d.backlog.perSecond : null,
      unit: '/s',
      note: d.backlog.complete ? 'from the relay\'s start (its start-up CPU counted)' : `only ${d.backlog.count}/${d.backlog.submitted} delivered within ${settings.timeoutSeconds} s`,
    },
    ...cpuPerDelivery('stream record delivered', usage, d.backlog.count, HERALD_COUNTED, 'Herald + PostgreSQL').rows,
  ];
  if (d.fresh) {
    const note = d.fresh.complete ? `${d.fresh.submitted} records written at once, delivery running` : `only ${d.fresh.count}/${d.fresh.submitted} delivered within ${settings.timeoutSeconds} s`;
    rows.push(
      { measure: 'stream records end to end: written -> SMTP peer, p50 latency (ms)', herald: d.fresh.latencyMs.p50, unit: 'ms', note },
      { measure: 'stream records end to end: written -> SMTP peer, p99 latency (ms)', herald: d.fresh.latencyMs.p99, unit: 'ms', note },
    );
  }
  return rows;
}

function streamRows(s: StreamResult): Row[] {
  return [
    {
      measure: `stream role, ${s.records.toLocaleString('en-US')} records -> notifications committed (/s)`,
      herald: s.complete ? s.perSecond : null,
      unit: '/s',
      baseline: { name: 'raw GetRecords drain', value: s.baseline.perSecond },
      target: { text: '>= 10,000/s', met: s.complete ? s.perSecond >= 10_000 : false },
      note: s.complete ? 'one process, one shard' : `only ${s.committed} committed within ${settings.timeoutSeconds} s`,
    },
    ...Object.entries(s.cpuMsPerRecord).map(([name, ms]): Row => ({
      measure: `stream role: CPU per record, ${name} (ms)`,
      herald: ms,
      unit: 'ms',
      note: name in s.baselineCpuMsPerRecord ? `raw drain: ${s.baselineCpuMsPerRecord[name].toFixed(3)} ms` : undefined,
    })),
  ];
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
    v === null || v === undefined ? '-' : unit === 'cpu ms' ? `${v.toFixed(3)} ms` : unit === 'x' ? `${v.toFixed(2)}x` : `${v >= 100 ? Math.round(v).toLocaleString('en-US') : v < 1 && v > 0 ? v.toFixed(3) : v.toFixed(1)}${unit === 'ms' || unit === 'MB' || unit === 's' ? ` ${unit}` : ''}`;
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
