import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { eventually, sleep } from '../support/herald-harness';
import { startChaosSmtpPeer, type ChaosSmtpPeer } from './support/chaos-smtp-peer';
import { freePort } from './support/child-processes';
import { faultSuiteEnv, HeraldProcess } from './support/herald-process';
import { PostgresProcess, SqsEmulatorProcess } from './support/infrastructure-processes';

/*
 * Workflows under faults. Herald runs as separate processes (api, relay, two workers for email and in-app, two
 * schedulers, each running the workflow engine) against its own PostgreSQL, its own SQS emulator and an SMTP peer.
 * While a few thousand workflow runs go through send -> delay -> send, in-app -> branch on seen -> email, and
 * digests per post (some sending their first event at once), the engines and the workers are killed with SIGKILL
 * and restarted, PostgreSQL is restarted and the SQS emulator is killed (losing every queue and message) and
 * started again. Then it checks, from what the SMTP peer and the inboxes hold: each send step of each run arrived
 * at most once (once when its notification is `sent`), every event accepted with 202 is in exactly one digest,
 * and every run completed.
 *
 * Settings: FAULT_WORKFLOW_RUNS (2000 in all), FAULT_SQS_OUTAGE_MS (10000), FAULT_SETTLE_TIMEOUT_MS (300000).
 */

const int = (name: string, fallback: number) => (process.env[name] ? Number(process.env[name]) : fallback);
const RUNS = int('FAULT_WORKFLOW_RUNS', 2000);
const SQS_OUTAGE_MS = int('FAULT_SQS_OUTAGE_MS', 10_000);
const SETTLE_TIMEOUT_MS = int('FAULT_SETTLE_TIMEOUT_MS', 300_000);
const POSTGRES_DOWN_MS = 3_000;
const SUBMIT_OVER_MS = 45_000;
const PARALLEL_TRIGGERS = 6;
const API_KEY = `hk_faults_admin_${'e'.repeat(24)}`;
const SETTLED = ['sent', 'failed', 'unknown', 'suppressed', 'cancelled'];
const DIGEST_KEYS = 8;
const ESCALATION_WITHIN = '6s';

jest.setTimeout(20 * 60_000);

type Kind = 'drip' | 'escalate' | 'digest' | 'digest-first';

/** The mix: by position, 3 in 10 drips, 2 in 10 escalations, 5 in 10 digest events (half of them sending the first at once). */
function kindOf(i: number): Kind {
  const r = i % 10;
  if (r < 3) return 'drip';
  if (r < 5) return 'escalate';
  return r % 2 === 0 ? 'digest' : 'digest-first';
}

const WORKFLOWS: Record<Kind, unknown[]> = {
  drip: [
    { id: 'welcome', type: 'send', channel: 'email', content: { subject: 'Welcome {{payload.n}}', text: 'Hello {{payload.n}}' } },
    { id: 'wait', type: 'delay', duration: '3s' },
    { id: 'tips', type: 'send', channel: 'email', content: { subject: 'Tips {{payload.n}}', text: 'Tips for {{payload.n}}' } },
  ],
  escalate: [
    { id: 'inapp', type: 'send', channel: 'inapp', content: { title: 'Mention {{payload.n}}', body: 'You were mentioned' } },
    { id: 'seen', type: 'branch', if: { step: 'inapp', is: 'seen', within: ESCALATION_WITHIN }, then: 'end' },
    { id: 'email', type: 'send', channel: 'email', content: { subject: 'Unseen mention {{payload.n}}', text: 'You were mentioned' } },
  ],
  digest: [
    { id: 'collect', type: 'digest', window: '3s', key: '{{payload.post}}' },
    { id: 'send', type: 'send', channel: 'email', content: { subject: 'Comments on {{payload.post}}', text: 'count={{digest.count}} events={{digest.events}}' } },
  ],
  'digest-first': [
    { id: 'collect', type: 'digest', window: '3s', key: '{{payload.post}}', sendFirstImmediately: true },
    { id: 'send', type: 'send', channel: 'email', content: { subject: 'Comments on {{payload.post}}', text: 'count={{digest.count}} events={{digest.events}}' } },
  ],
};

/** The text part of a message as the peer holds it (quoted-printable undone). */
function bodyOf(message: string): string {
  const split = message.indexOf('\r\n\r\n');
  const headers = message.slice(0, split);
  let body = message.slice(split + 4);
  if (/Content-Transfer-Encoding:\s*quoted-printable/i.test(headers)) {
    body = Buffer.from(body.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8');
  } else if (/Content-Transfer-Encoding:\s*base64/i.test(headers)) {
    body = Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  }
  // SMTP dot-stuffing.
  return body.replace(/\r\n\.\./g, '\r\n.');
}

interface RunRow {
  id: string;
  workflow_key: string;
  status: string;
  payload: { n: number; post?: string; event?: string };
  digest: { events: Array<{ event: string }> } | null;
  steps: Array<{ id: string; state: string; produced: { notifications?: Array<{ id: string }>; branch?: string; mergedInto?: string; digestCount?: number } | null }>;
}

describe('workflows under faults', () => {
  let dir: string;
  let pg: PostgresProcess;
  let sqs: SqsEmulatorProcess;
  let smtp: ChaosSmtpPeer;
  let db: Client;
  let apiUrl: string;
  const processes: Record<string, HeraldProcess> = {};
  const tag = randomBytes(3).toString('hex');
  const keyOf = (kind: Kind) => `faults-${kind}-${tag}`;

  beforeAll(async () => {
    if (!existsSync(join(process.cwd(), 'dist/src/main.js'))) throw new Error('dist/ is missing: `npm test` builds it first (or run `npm run build`)');
    dir = await mkdtemp(join(tmpdir(), 'herald-workflow-faults-'));
    pg = new PostgresProcess(dir, await freePort());
    await pg.start(true);
    const admin = new Client({ connectionString: pg.adminUrl });
    await admin.connect();
    await admin.query('CREATE DATABASE herald_workflow_faults_test');
    await admin.end();
    sqs = new SqsEmulatorProcess(dir, await freePort());
    await sqs.start();
    // The SMTP peer answers every message: the faults here are Herald's own processes and its infrastructure.
    smtp = await startChaosSmtpPeer({ afterData: () => ({ kind: 'accept' }) });

    const apiPort = await freePort();
    apiUrl = `http://127.0.0.1:${apiPort}`;
    const queuePrefix = `wf-faults-${tag}-`;
    const env = (roles: string, port = 0): Record<string, string> =>
      faultSuiteEnv({
        roles,
        port,
        databaseUrl: `postgres://postgres:postgres@127.0.0.1:${pg.port}/herald_workflow_faults_test`,
        sqsEndpoint: sqs.endpoint,
        queuePrefix,
        smtpUrl: smtp.url,
        apiKey: API_KEY,
        extra: { WORKFLOW_POLL_INTERVAL: '200ms', WORKFLOW_OUTCOME_CHECK_INTERVAL: '500ms', WORKFLOW_LEASE: '5s' },
      });
    processes.api = new HeraldProcess('api', env('api', apiPort), dir);
    processes.api.start();
    await eventually(async () => ((await fetch(`${apiUrl}/health/live`)).ok ? true : undefined), 120_000, 'the api process');
    const roles: Array<[string, string]> = [
      ['relay', 'relay'],
      ['worker-1', 'worker:email,worker:inapp'],
      ['worker-2', 'worker:email,worker:inapp'],
      ['engine-1', 'scheduler'],
      ['engine-2', 'scheduler'],
    ];
    for (const [name, role] of roles) {
      processes[name] = new HeraldProcess(name, env(role), dir);
      processes[name].start();
    }
    for (const kind of Object.keys(WORKFLOWS) as Kind[]) {
      const res = await fetch(`${apiUrl}/v1/workflows/${keyOf(kind)}`, {
        method: 'PUT',
        headers: { Authorization: `Bearer ${API_KEY}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ steps: WORKFLOWS[kind] }),
      });
      if (res.status !== 200) throw new Error(`PUT workflow ${kind}: ${res.status} ${await res.text()}`);
    }
  });

  afterAll(async () => {
    await Promise.all(Object.values(processes).map((p) => p.stop()));
    await db?.end().catch(() => undefined);
    await smtp?.close();
    await sqs?.kill();
    await pg?.stop();
    if (dir && !process.env.FAULT_KEEP_LOGS) await rm(dir, { recursive: true, force: true });
    else if (dir) process.stdout.write(`fault-injection logs kept in ${dir}\n`);
  });

  /** POST /v1/events until it answers 202; the idempotency key makes a retry after a lost answer safe. */
  async function trigger(i: number): Promise<string> {
    const kind = kindOf(i);
    const post = `post-${i % DIGEST_KEYS}`;
    const payload = kind.startsWith('digest') ? { n: i, post, event: `ev${i}x` } : { n: i };
    const recipient = kind.startsWith('digest') ? { userId: `reader-${kind}`, email: `reader-${kind}@faults.test` } : { userId: `u-${i}`, email: `user-${i}@faults.test` };
    const body = JSON.stringify({ workflow: keyOf(kind), recipients: [recipient], payload });
    const deadline = Date.now() + 180_000;
    for (;;) {
      try {
        const res = await fetch(`${apiUrl}/v1/events`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${API_KEY}`, 'Content-Type': 'application/json', 'Idempotency-Key': `wf-faults-${tag}-${i}` },
          body,
          signal: AbortSignal.timeout(20_000),
        });
        if (res.status === 202) return ((await res.json()) as { runs: Array<{ id: string }> }).runs[0].id;
        if (res.status < 500 && res.status !== 429) throw new Error(`event ${i} refused: ${res.status} ${await res.text()}`);
      } catch (err) {
        if ((err as Error).message.startsWith('event ')) throw err;
      }
      if (Date.now() > deadline) throw new Error(`event ${i} was never accepted`);
      await sleep(500);
    }
  }

  it('sends each step of each run once, puts every accepted event in exactly one digest, and finishes every run, through kills and outages', async () => {
    const runOf = new Map<number, string>();
    const started = Date.now();
    const at = (ms: number) => sleep(Math.max(0, started + ms - Date.now()));
    const between = (a: number, b: number) => a + Math.random() * (b - a);
    let submitted = 0;
    let next = 0;
    const submitting = Promise.all(
      Array.from({ length: PARALLEL_TRIGGERS }, async () => {
        while (next < RUNS) {
          const i = next++;
          await at((i * SUBMIT_OVER_MS) / RUNS);
          runOf.set(i, await trigger(i));
          submitted++;
        }
      }),
    );

    // A third of the escalations are seen in the inbox (read through the inbox API) as soon as their item is there.
    const toSee = new Set<string>();
    for (let i = 0; i < RUNS; i++) if (kindOf(i) === 'escalate' && i % 3 === 0) toSee.add(`u-${i}`);
    const seenAt = new Map<string, number>();
    let watching = true;
    const seeing = (async () => {
      while (watching) {
        // A connection per round: PostgreSQL restarts under it.
        const watcher = new Client({ connectionString: `postgres://postgres:postgres@127.0.0.1:${pg.port}/herald_workflow_faults_test` });
        watcher.on('error', () => undefined);
        try {
          await watcher.connect();
          const { rows } = await watcher.query<{ id: string; user_id: string }>(`SELECT id, user_id FROM inbox_items WHERE read_at IS NULL AND user_id = ANY($1)`, [[...toSee]]);
          for (const row of rows) {
            const res = await fetch(`${apiUrl}/v1/users/${row.user_id}/inbox/${row.id}/read`, { method: 'POST', headers: { Authorization: `Bearer ${API_KEY}` }, signal: AbortSignal.timeout(5_000) }).catch(() => null);
            if (res?.status === 204 && !seenAt.has(row.user_id)) seenAt.set(row.user_id, Date.now());
          }
        } catch {
          // PostgreSQL is restarting: the next round asks again.
        } finally {
          await watcher.end().catch(() => undefined);
        }
        await sleep(300);
      }
    })();

    let postgresCut = false;
    let sqsWasDown = false;
    const faults = (async () => {
      await at(between(2_000, 4_000));
      await processes['engine-1'].kill9();
      await at(between(5_000, 7_000));
      await processes['worker-1'].kill9();
      await at(between(8_000, 10_000));
      await processes['engine-2'].kill9();
      await at(between(11_000, 13_000));
      await processes['engine-1'].kill9();
      await processes['worker-2'].kill9();

      await at(16_000);
      const probe = new Client({ connectionString: pg.adminUrl });
      probe.on('error', () => undefined);
      await probe.connect();
      await pg.restart(POSTGRES_DOWN_MS);
      postgresCut = await probe.query('SELECT 1').then(() => false, () => true);
      await probe.end().catch(() => undefined);

      await at(24_000);
      await sqs.kill();
      sqsWasDown = await fetch(sqs.endpoint, { signal: AbortSignal.timeout(2_000) }).then(() => false, () => true);
      await processes['engine-2'].kill9();
      await sleep(SQS_OUTAGE_MS);
      await sqs.start();

      const after = Date.now() - started;
      await at(after + between(1_000, 3_000));
      await processes['worker-1'].kill9();
      await at(after + between(4_000, 6_000));
      await processes['engine-1'].kill9();
      await at(after + between(7_000, 9_000));
      await processes['worker-2'].kill9();
      await processes['engine-2'].kill9();
    })();

    await Promise.all([submitting, faults]);
    expect(submitted).toBe(RUNS);
    const faultsOverAt = Date.now() - started;

    db = new Client({ connectionString: `postgres://postgres:postgres@127.0.0.1:${pg.port}/herald_workflow_faults_test` });
    await db.connect();
    await eventually(
      async () => {
        const runs = await db.query(`SELECT count(*)::int AS n FROM workflow_runs WHERE status IN ('running', 'waiting')`);
        const notifications = await db.query(`SELECT count(*)::int AS n FROM notifications WHERE NOT (status = ANY($1))`, [SETTLED]);
        return runs.rows[0].n === 0 && notifications.rows[0].n === 0 ? true : undefined;
      },
      SETTLE_TIMEOUT_MS,
      'every run to finish and every notification to settle',
    ).catch(async (err: Error) => {
      const runs = await db.query(`SELECT workflow_key, status, count(*)::int AS n FROM workflow_runs GROUP BY 1, 2`);
      const notifications = await db.query(`SELECT channel, status, count(*)::int AS n FROM notifications GROUP BY 1, 2`);
      throw new Error(`${err.message}; runs: ${JSON.stringify(runs.rows)}; notifications: ${JSON.stringify(notifications.rows)}`);
    });
    const settledAt = Date.now() - started;
    watching = false;
    await seeing;
    // Stop every Herald process before reading the peers, so that a late second send would be counted.
    await Promise.all(Object.values(processes).map((p) => p.stop()));

    const runs = (await db.query<RunRow>(`SELECT id, workflow_key, status, payload, steps, digest FROM workflow_runs`)).rows;
    const notifications = new Map(
      (await db.query<{ id: string; channel: string; status: string; run: string; step: string }>(
        `SELECT id, channel, status, metadata->>'workflowRun' AS run, metadata->>'workflowStep' AS step FROM notifications`,
      )).rows.map((n) => [n.id, n]),
    );
    const inbox = new Map<string, number>();
    for (const row of (await db.query<{ notification_id: string; n: number }>(`SELECT notification_id, count(*)::int AS n FROM inbox_items GROUP BY 1`)).rows) inbox.set(row.notification_id, row.n);
    /** How many times the peer (the SMTP server, or the inbox for in-app) holds a notification. */
    const heldAtPeer = (id: string) => (notifications.get(id)?.channel === 'inapp' ? (inbox.get(id) ?? 0) : (smtp.held.get(id) ?? 0));

    const duplicates: string[] = [];
    const losses: string[] = [];
    const wrong: string[] = [];
    const tally = { runs: runs.length, sends: 0, unknown: 0, escalatedToEmail: 0, seenInTime: 0, digests: 0, digestsFirstAlone: 0, joined: 0 };
    // Notifications per (run, send step), from the notifications' own metadata.
    const perStep = new Map<string, string[]>();
    for (const n of notifications.values()) {
      const k = `${n.run}:${n.step}`;
      perStep.set(k, [...(perStep.get(k) ?? []), n.id]);
    }
    const expectSent = (run: RunRow, step: string, shouldSend: boolean) => {
      const ids = perStep.get(`${run.id}:${step}`) ?? [];
      if (!shouldSend) {
        if (ids.length) wrong.push(`${run.workflow_key} run ${run.id} step ${step} sent ${ids.length} notification(s) it should not have`);
        return;
      }
      if (ids.length !== 1) return void (ids.length === 0 ? losses : duplicates).push(`${run.workflow_key} run ${run.id} step ${step}: ${ids.length} notifications`);
      const n = notifications.get(ids[0])!;
      const held = heldAtPeer(n.id);
      tally.sends++;
      if (held > 1) duplicates.push(`${run.workflow_key} run ${run.id} step ${step}: the peer holds ${n.id} ${held} times`);
      if (n.status === 'sent' && held === 0) losses.push(`${run.workflow_key} run ${run.id} step ${step}: ${n.id} is sent but the peer never got it`);
      if (n.status === 'unknown') tally.unknown++;
      else if (n.status !== 'sent') losses.push(`${run.workflow_key} run ${run.id} step ${step}: ${n.id} ended ${n.status}`);
      const recorded = run.steps.find((s) => s.id === step)?.produced?.notifications?.map((x) => x.id) ?? [];
      if (recorded.length !== 1 || recorded[0] !== n.id) wrong.push(`${run.workflow_key} run ${run.id} step ${step} records ${JSON.stringify(recorded)}, not ${n.id}`);
    };

    const digestEvents = new Map<string, number>();
    let eventsInUnknownDigests = 0;
    const acceptedEvents = new Set<string>();
    for (const run of runs) {
      if (run.status !== 'completed') wrong.push(`${run.workflow_key} run ${run.id} ended ${run.status}`);
      if (run.workflow_key === keyOf('drip')) {
        expectSent(run, 'welcome', true);
        expectSent(run, 'tips', true);
      } else if (run.workflow_key === keyOf('escalate')) {
        expectSent(run, 'inapp', true);
        const branch = run.steps.find((s) => s.id === 'seen')?.produced?.branch;
        const userId = `u-${run.payload.n}`;
        if (branch === 'then') tally.seenInTime++;
        else if (branch === 'else') tally.escalatedToEmail++;
        else wrong.push(`escalation run ${run.id} has no branch result`);
        if (branch === 'then' && !seenAt.has(userId)) wrong.push(`escalation run ${run.id} took "seen" but its item was never read`);
        expectSent(run, 'email', branch === 'else');
      } else {
        acceptedEvents.add(run.payload.event!);
        const collect = run.steps.find((s) => s.id === 'collect')?.produced;
        if (collect?.mergedInto) {
          tally.joined++;
          expectSent(run, 'send', false);
          continue;
        }
        expectSent(run, 'send', true);
        tally.digests++;
        if (collect?.digestCount === 1) tally.digestsFirstAlone++;
        // The events of the digest, as the notification the peer holds tells them.
        const ids = perStep.get(`${run.id}:send`) ?? [];
        const message = ids.length === 1 ? smtp.messages.get(ids[0]) : undefined;
        if (!message) {
          // A digest whose send ended unknown (the worker died mid-conversation) may not have arrived: its events are
          // counted from the run, and reported.
          if (ids.length === 1 && notifications.get(ids[0])?.status === 'unknown') {
            for (const e of run.digest?.events ?? []) {
              eventsInUnknownDigests++;
              digestEvents.set(e.event, (digestEvents.get(e.event) ?? 0) + 1);
            }
          } else losses.push(`digest run ${run.id}: the peer holds no digest`);
          continue;
        }
        const text = bodyOf(message);
        const count = Number(/count=(\d+)/.exec(text)?.[1]);
        const events = [...text.matchAll(/ev\d+x/g)].map((m) => m[0]);
        if (events.length !== count) wrong.push(`digest run ${run.id} says count=${count} but lists ${events.length} events`);
        for (const e of events) digestEvents.set(e, (digestEvents.get(e) ?? 0) + 1);
      }
    }
    const eventsLost = [...acceptedEvents].filter((e) => !digestEvents.has(e));
    const eventsTwice = [...digestEvents].filter(([, n]) => n > 1).map(([e]) => e);
    const eventsUnknown = [...digestEvents.keys()].filter((e) => !acceptedEvents.has(e));
    const phantoms = [...smtp.held.keys()].filter((id) => !notifications.has(id));
    const report = {
      ...tally,
      acceptedEvents: acceptedEvents.size,
      eventsInDigests: digestEvents.size,
      eventsInUnknownDigests,
      eventsLost: eventsLost.length,
      eventsTwice: eventsTwice.length,
      duplicates: duplicates.length,
      losses: losses.length,
      wrong: wrong.length,
      phantoms: phantoms.length,
      faults: {
        kills: Object.fromEntries(Object.entries(processes).map(([n, p]) => [n, p.kills])),
        crashRestarts: Object.fromEntries(Object.entries(processes).map(([n, p]) => [n, p.crashes])),
        postgresRestarts: pg.restarts,
        postgresCutConnections: postgresCut,
        sqsOutages: sqs.outages,
        sqsOutageMs: SQS_OUTAGE_MS,
        sqsWasDown,
      },
      faultsOverAtMs: faultsOverAt,
      settledAtMs: settledAt,
    };
    process.stdout.write(`\nworkflow fault-injection report: ${JSON.stringify(report, null, 2)}\n`);
    for (const [name, list] of Object.entries({ duplicates, losses, wrong, eventsLost, eventsTwice })) {
      if (list.length) process.stdout.write(`${name}:\n  ${list.slice(0, 30).join('\n  ')}\n`);
    }

    expect(runs).toHaveLength(RUNS);
    expect(duplicates).toEqual([]);
    expect(losses).toEqual([]);
    expect(wrong).toEqual([]);
    expect(phantoms).toEqual([]);
    // Every event accepted with 202 is in exactly one digest (the peer's, or one that ended unknown).
    expect(eventsLost).toEqual([]);
    expect(eventsTwice).toEqual([]);
    expect(eventsUnknown).toEqual([]);
    expect(digestEvents.size).toBe(acceptedEvents.size);
    // Both branches of the escalation ran, and digests merged many events.
    expect(tally.seenInTime).toBeGreaterThan(0);
    expect(tally.escalatedToEmail).toBeGreaterThan(0);
    expect(tally.joined).toBeGreaterThan(tally.digests);
    expect(tally.digestsFirstAlone).toBeGreaterThan(0);

    // Every fault happened.
    expect(processes['engine-1'].kills).toBeGreaterThanOrEqual(3);
    expect(processes['engine-2'].kills).toBeGreaterThanOrEqual(3);
    expect(processes['worker-1'].kills).toBeGreaterThanOrEqual(2);
    expect(processes['worker-2'].kills).toBeGreaterThanOrEqual(2);
    expect(pg.restarts).toBe(1);
    expect(postgresCut).toBe(true);
    expect(sqs.outages).toBe(1);
    expect(sqsWasDown).toBe(true);
  });
});
