import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { eventually, sleep } from '../support/herald-harness';
import { startChaosSmtpPeer, type ChaosSmtpPeer } from './support/chaos-smtp-peer';
import { freePort } from './support/child-processes';
import { faultSuiteEnv, HeraldProcess } from './support/herald-process';
import { PostgresProcess, SqsEmulatorProcess } from './support/infrastructure-processes';

/*
 * The fault-injection suite. Herald runs as separate processes (api, relay, two email workers, scheduler)
 * against its own PostgreSQL, its own SQS emulator and a misbehaving SMTP peer. While a few thousand
 * notifications flow, the workers, the relay and the scheduler are killed with SIGKILL and restarted,
 * PostgreSQL is restarted, and the SQS emulator is killed (losing every queue and message) and started
 * again after an outage. Then the outcome is checked against what the SMTP peer holds.
 *
 * Size and outage length are settings (see docs/reliability.md):
 *   FAULT_NOTIFICATIONS (2000), FAULT_SQS_OUTAGE_MS (30000), FAULT_SETTLE_TIMEOUT_MS (300000).
 */

const int = (name: string, fallback: number) => (process.env[name] ? Number(process.env[name]) : fallback);
const NOTIFICATIONS = int('FAULT_NOTIFICATIONS', 2000);
const SQS_OUTAGE_MS = int('FAULT_SQS_OUTAGE_MS', 30_000);
const SETTLE_TIMEOUT_MS = int('FAULT_SETTLE_TIMEOUT_MS', 300_000);
const POSTGRES_DOWN_MS = 3_000;
const BATCH = 50;
const SUBMIT_OVER_MS = 50_000;
const API_KEY = `hk_faults_admin_${'f'.repeat(24)}`;
const SETTLED = ['sent', 'failed', 'unknown', 'suppressed', 'cancelled'];

jest.setTimeout(20 * 60_000);

/** Which recipients the SMTP peer treats specially, by position in the submission. */
function recipientOf(i: number): string {
  if (i % 50 === 7) return `reject-${i}@faults.test`;
  if (i % 20 === 3) return `greylist-${i}@faults.test`;
  return `user-${i}@faults.test`;
}

describe('the pipeline under faults', () => {
  let dir: string;
  let pg: PostgresProcess;
  let sqs: SqsEmulatorProcess;
  let smtp: ChaosSmtpPeer;
  let db: Client;
  let apiUrl: string;
  const processes: Record<string, HeraldProcess> = {};
  const greylisted = new Set<string>();

  beforeAll(async () => {
    // The processes run the built service; `npm test` builds it first. Building here would empty dist/ (the console
    // included) under the suites running beside this one.
    if (!existsSync(join(process.cwd(), 'dist/src/main.js'))) throw new Error('dist/ is missing: `npm test` builds it first (or run `npm run build`)');
    dir = await mkdtemp(join(tmpdir(), 'herald-faults-'));
    pg = new PostgresProcess(dir, await freePort());
    await pg.start(true);
    const admin = new Client({ connectionString: pg.adminUrl });
    await admin.connect();
    await admin.query('CREATE DATABASE herald_faults_test');
    await admin.end();
    sqs = new SqsEmulatorProcess(dir, await freePort());
    await sqs.start();

    smtp = await startChaosSmtpPeer({
      atMailFrom: (n) => {
        if (n % 113 === 57) return { kind: 'hang' };
        if (n % 131 === 7) return { kind: 'close' };
        return { kind: 'accept' };
      },
      afterData: ({ notificationId, to, n }) => {
        const local = to[0] ?? '';
        if (local.startsWith('reject-')) return { kind: 'reply', code: 550, text: '5.1.1 mailbox unavailable' };
        if (local.startsWith('greylist-') && notificationId && !greylisted.has(notificationId)) {
          greylisted.add(notificationId);
          return { kind: 'reply', code: 451, text: '4.7.1 greylisted, try again later' };
        }
        if (n % 97 === 13) return { kind: 'close' };
        if (n % 89 === 41) return { kind: 'hang' };
        return { kind: 'accept' };
      },
    });

    const apiPort = await freePort();
    apiUrl = `http://127.0.0.1:${apiPort}`;
    const queuePrefix = `faults-${randomBytes(3).toString('hex')}-`;
    const env = (roles: string, port = 0): Record<string, string> =>
      faultSuiteEnv({
        roles,
        port,
        databaseUrl: `postgres://postgres:postgres@127.0.0.1:${pg.port}/herald_faults_test`,
        sqsEndpoint: sqs.endpoint,
        queuePrefix,
        smtpUrl: smtp.url,
        apiKey: API_KEY,
      });
    // The api process applies the migrations; the others start once it answers.
    processes.api = new HeraldProcess('api', env('api', apiPort), dir);
    processes.api.start();
    await eventually(async () => ((await fetch(`${apiUrl}/health/live`)).ok ? true : undefined), 120_000, 'the api process');
    const roles: Array<[string, string]> = [
      ['relay', 'relay'],
      ['worker-1', 'worker:email'],
      ['worker-2', 'worker:email'],
      ['scheduler', 'scheduler'],
    ];
    for (const [name, role] of roles) {
      processes[name] = new HeraldProcess(name, env(role), dir);
      processes[name].start();
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

  async function submitBatch(run: string, b: number, accepted: Map<string, string>): Promise<void> {
    const items = Array.from({ length: BATCH }, (_, k) => {
      const i = b * BATCH + k;
      return {
        recipient: { userId: `u-${i}`, email: recipientOf(i) },
        channels: ['email'],
        content: { email: { subject: `Fault run ${run} #${i}`, text: `Notification ${i}` } },
        category: 'faults',
      };
    });
    const deadline = Date.now() + 180_000;
    for (;;) {
      try {
        const res = await fetch(`${apiUrl}/v1/notifications/batch`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${API_KEY}`, 'Content-Type': 'application/json', 'Idempotency-Key': `faults-${run}-${b}` },
          body: JSON.stringify({ items }),
          signal: AbortSignal.timeout(20_000),
        });
        if (res.status === 202) {
          const body = (await res.json()) as { items: Array<{ outcome: string; notifications?: Array<{ id: string }> }> };
          body.items.forEach((item, k) => {
            if (item.outcome === 'rejected' || !item.notifications) throw new Error(`batch ${b} item ${k} was ${item.outcome}`);
            accepted.set(item.notifications[0].id, recipientOf(b * BATCH + k));
          });
          return;
        }
      } catch (err) {
        if ((err as Error).message.startsWith('batch ')) throw err;
      }
      // The database may be restarting: the same Idempotency-Key makes the retry safe.
      if (Date.now() > deadline) throw new Error(`batch ${b} was never accepted`);
      await sleep(500);
    }
  }

  it('delivers every accepted notification exactly once, or ends it failed/unknown with a reason, through kills and outages', async () => {
    const run = randomBytes(3).toString('hex');
    const accepted = new Map<string, string>();
    const started = Date.now();
    const at = (ms: number) => sleep(Math.max(0, started + ms - Date.now()));
    const between = (a: number, b: number) => a + Math.random() * (b - a);
    const batches = Math.ceil(NOTIFICATIONS / BATCH);

    const submitting = (async () => {
      for (let b = 0; b < batches; b++) {
        await at((b * SUBMIT_OVER_MS) / batches);
        await submitBatch(run, b, accepted);
      }
    })();

    let postgresCut = false;
    let sqsWasDown = false;
    const faults = (async () => {
      await at(between(2_000, 5_000));
      await processes['worker-1'].kill9();
      await at(between(6_000, 9_000));
      await processes.relay.kill9();
      await at(between(10_000, 13_000));
      await processes.scheduler.kill9();
      await at(between(14_000, 17_000));
      await processes['worker-2'].kill9();

      // PostgreSQL restart: a connection opened before it must be cut by it.
      await at(20_000);
      const probe = new Client({ connectionString: pg.adminUrl });
      probe.on('error', () => undefined);
      await probe.connect();
      await pg.restart(POSTGRES_DOWN_MS);
      postgresCut = await probe.query('SELECT 1').then(() => false, () => true);
      await probe.end().catch(() => undefined);

      // SQS outage: the emulator is killed (every queue and message is lost) and started again later.
      await at(28_000);
      await sqs.kill();
      sqsWasDown = await fetch(sqs.endpoint, { signal: AbortSignal.timeout(2_000) }).then(() => false, () => true);
      await processes['worker-1'].kill9();
      await sleep(SQS_OUTAGE_MS);
      await sqs.start();

      const after = Date.now() - started;
      await at(after + between(1_000, 6_000));
      await processes.relay.kill9();
      await at(after + between(6_000, 10_000));
      await processes['worker-2'].kill9();
      await processes.scheduler.kill9();
    })();

    await Promise.all([submitting, faults]);
    expect(accepted.size).toBe(batches * BATCH);

    db = new Client({ connectionString: `postgres://postgres:postgres@127.0.0.1:${pg.port}/herald_faults_test` });
    await db.connect();
    await eventually(
      async () => {
        const { rows } = await db.query(`SELECT count(*)::int AS n FROM notifications WHERE NOT (status = ANY($1))`, [SETTLED]);
        return rows[0].n === 0 ? true : undefined;
      },
      SETTLE_TIMEOUT_MS,
      'every notification to settle',
    ).catch(async (err: Error) => {
      const { rows } = await db.query(`SELECT status, count(*)::int AS n FROM notifications GROUP BY status`);
      throw new Error(`${err.message}; statuses: ${JSON.stringify(rows)}`);
    });
    // Stop every Herald process before reading the peer, so that a late second send would be counted.
    await Promise.all(Object.values(processes).map((p) => p.stop()));

    const { rows } = await db.query(`SELECT id, status, status_reason FROM notifications`);
    const byId = new Map(rows.map((r: { id: string; status: string; status_reason: string | null }) => [r.id, r]));
    const duplicates: string[] = [];
    const losses: string[] = [];
    const wrong: string[] = [];
    const tally = { delivered: 0, failed: 0, unknown: 0, unknownHeldByPeer: 0 };
    for (const [id, recipient] of accepted) {
      const row = byId.get(id);
      const held = smtp.held.get(id) ?? 0;
      if (held > 1) duplicates.push(`${id} (${recipient}) held ${held} times, status ${row?.status}`);
      if (!row) {
        losses.push(`${id} (${recipient}) accepted but not stored`);
        continue;
      }
      switch (row.status) {
        case 'sent':
          if (held === 0) losses.push(`${id} (${recipient}) is sent but the peer never got it`);
          else tally.delivered++;
          if (recipient.startsWith('reject-')) wrong.push(`${id} (${recipient}) sent to a rejecting mailbox`);
          break;
        case 'failed':
          tally.failed++;
          if (!row.status_reason) losses.push(`${id} (${recipient}) failed without a reason`);
          if (held > 0) wrong.push(`${id} (${recipient}) is failed but the peer holds it`);
          break;
        case 'unknown':
          tally.unknown++;
          if (held > 0) tally.unknownHeldByPeer++;
          if (!row.status_reason) losses.push(`${id} (${recipient}) unknown without a reason`);
          break;
        default:
          losses.push(`${id} (${recipient}) ended ${row.status}`);
      }
    }
    const phantoms = [...smtp.held.keys()].filter((id) => !accepted.has(id));
    const strandedRecovered = readdirLogs(dir, 'stranded notifications enqueued again');
    const report = {
      accepted: accepted.size,
      ...tally,
      duplicates: duplicates.length,
      losses: losses.length,
      phantoms: phantoms.length,
      wrong: wrong.length,
      faults: {
        kills: Object.fromEntries(Object.entries(processes).map(([n, p]) => [n, p.kills])),
        crashRestarts: Object.fromEntries(Object.entries(processes).map(([n, p]) => [n, p.crashes])),
        postgresRestarts: pg.restarts,
        postgresCutConnections: postgresCut,
        sqsOutages: sqs.outages,
        sqsOutageMs: SQS_OUTAGE_MS,
        sqsWasDown,
        strandedRecoveryLogLines: await strandedRecovered,
        smtp: smtp.counts,
      },
    };
    process.stdout.write(`\nfault-injection report: ${JSON.stringify(report, null, 2)}\n`);
    if (duplicates.length) process.stdout.write(`duplicates:\n  ${duplicates.slice(0, 50).join('\n  ')}\n`);
    if (losses.length) process.stdout.write(`losses:\n  ${losses.slice(0, 50).join('\n  ')}\n`);

    // Exactly once, or failed/unknown with a reason.
    expect(duplicates).toEqual([]);
    expect(losses).toEqual([]);
    expect(phantoms).toEqual([]);
    expect(wrong).toEqual([]);
    expect(tally.delivered + tally.failed + tally.unknown).toBe(accepted.size);
    expect(tally.delivered).toBeGreaterThan(accepted.size / 2);

    // Every fault happened.
    expect(processes['worker-1'].kills).toBeGreaterThanOrEqual(2);
    expect(processes['worker-2'].kills).toBeGreaterThanOrEqual(2);
    expect(processes.relay.kills).toBeGreaterThanOrEqual(2);
    expect(processes.scheduler.kills).toBeGreaterThanOrEqual(2);
    expect(pg.restarts).toBe(1);
    expect(postgresCut).toBe(true);
    expect(sqs.outages).toBe(1);
    expect(sqsWasDown).toBe(true);
    expect(smtp.counts.transient4xx).toBeGreaterThan(0);
    expect(smtp.counts.permanent5xx).toBeGreaterThan(0);
    expect(smtp.counts.hungBeforeData).toBeGreaterThan(0);
    expect(smtp.counts.hungAfterData).toBeGreaterThan(0);
    expect(smtp.counts.closedAfterData).toBeGreaterThan(0);
    expect(smtp.counts.closedBeforeData).toBeGreaterThan(0);
  });
});

/** Counts log lines containing `text` across the Herald processes' logs. */
async function readdirLogs(dir: string, text: string): Promise<number> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.log'));
  return files.reduce((n, f) => n + readFileSync(join(dir, f), 'utf8').split('\n').filter((l) => l.includes(text)).length, 0);
}
