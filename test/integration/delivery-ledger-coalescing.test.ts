import { DataSource } from 'typeorm';
import type { Channel } from '../../src/domain/notification/channel';
import {
  DeliveryLedger,
  type ClaimedNotification,
  type FinishedAttempt,
  type LeaseRecoveryReport,
  type StartedAttempt,
} from '../../src/domain/ports/delivery-ledger.port';
import { CoalescingDeliveryLedger } from '../../src/infrastructure/typeorm/delivery-ledger.coalescing';
import { DeliveryLedgerTypeormRepository } from '../../src/infrastructure/typeorm/delivery-ledger.typeorm-repository';
import { emailRequest } from '../factories/notification-requests';
import { ADMIN_KEY, startHerald, type Herald } from '../support/herald-harness';

/** Passes every call to the Postgres ledger and counts the statements it makes. */
class CountingLedger extends DeliveryLedger {
  readonly statements = { claim: 0, begin: 0, finish: 0 };
  constructor(private readonly inner: DeliveryLedger) {
    super();
  }
  claimForSending(ids: string[], owner: string, leaseMs: number): Promise<ClaimedNotification[]> {
    this.statements.claim++;
    return this.inner.claimForSending(ids, owner, leaseMs);
  }
  beginAttempts(ids: string[], owner: string): Promise<StartedAttempt[]> {
    this.statements.begin++;
    return this.inner.beginAttempts(ids, owner);
  }
  finishAttempts(results: FinishedAttempt[]): Promise<void> {
    this.statements.finish++;
    return this.inner.finishAttempts(results);
  }
  recoverExpiredLeases(channels: Channel[], limit: number): Promise<LeaseRecoveryReport> {
    return this.inner.recoverExpiredLeases(channels, limit);
  }
  requeueStranded(dueForMs: number, limit: number): Promise<number> {
    return this.inner.requeueStranded(dueForMs, limit);
  }
}

const sent = (a: StartedAttempt): FinishedAttempt => ({
  notificationId: a.notificationId,
  attemptId: a.attemptId,
  provider: 'smtp',
  providerMessageId: `m-${a.notificationId}`,
  errorCode: null,
  errorMessage: null,
  durationMs: 3,
  decision: { status: 'sent', attemptOutcome: 'sent', reason: null, retryAt: null },
});

const retryLater = (a: StartedAttempt): FinishedAttempt => ({
  ...sent(a),
  providerMessageId: null,
  errorCode: 'timeout',
  errorMessage: 'the provider did not answer',
  decision: { status: 'queued', attemptOutcome: 'transient_failure', reason: 'timeout', retryAt: new Date(Date.now() + 60_000) },
});

/** A worker's pollers sharing the ledger's statements, on real Postgres. */
describe('delivery ledger: concurrent batches share statements and each gets exactly its own rows', () => {
  let herald: Herald;
  const auth = { Authorization: `Bearer ${ADMIN_KEY}` };

  beforeAll(async () => {
    // No relay and no worker: the notifications stay queued for the test's own claims.
    herald = await startHerald({ HERALD_ROLES: 'api' });
  });
  afterAll(async () => {
    await herald.stop();
  });

  async function accept(n: number): Promise<string[]> {
    const res = await herald.http
      .post('/v1/notifications/batch')
      .set(auth)
      .send({ items: Array.from({ length: n }, () => emailRequest()) })
      .expect(202);
    return res.body.items.map((i: { notifications: Array<{ id: string }> }) => i.notifications[0].id);
  }

  it('merges claims, begins and finishes of eight batches into fewer statements, claiming a redelivered id for one batch only', async () => {
    const ids = await accept(40);
    // Eight batches of five; batch 7 repeats two of batch 6's ids and batch 0 one of batch 5's, as redelivered messages would.
    const batches = Array.from({ length: 8 }, (_, i) => ids.slice(i * 5, i * 5 + 5));
    batches[7] = [...batches[7], batches[6][1], batches[6][3]];
    batches[0] = [...batches[0], batches[5][2]];
    const counting = new CountingLedger(herald.app.get(DeliveryLedgerTypeormRepository));
    const ledger = new CoalescingDeliveryLedger(counting, 1);
    const owner = 'worker-under-test';

    const claims = await Promise.all(batches.map((b) => ledger.claimForSending(b, owner, 60_000)));
    // The first claim runs alone; the seven arriving while it runs share the next statement.
    expect(counting.statements.claim).toBe(2);
    const claimedIds = claims.flatMap((rows) => rows.map((r) => r.id));
    expect(new Set(claimedIds).size).toBe(claimedIds.length);
    expect(claimedIds.sort()).toEqual([...new Set(batches.flat())].sort());
    claims.forEach((rows, i) => {
      for (const r of rows) expect(batches[i]).toContain(r.id);
    });
    const { rows: recipients } = await herald.db.query(`SELECT id, recipient->>'email' AS email FROM notifications WHERE id = ANY($1::uuid[])`, [ids]);
    const emailOf = new Map(recipients.map((r: { id: string; email: string }) => [r.id, r.email]));
    for (const r of claims.flat()) expect(r.recipient.email).toBe(emailOf.get(r.id));
    const { rows: history } = await herald.db.query(
      `SELECT notification_id, count(*)::int AS n FROM notification_status_history
       WHERE notification_id = ANY($1::uuid[]) AND to_status = 'sending' GROUP BY notification_id`,
      [ids],
    );
    expect(history).toHaveLength(40);
    expect(history.every((h: { n: number }) => h.n === 1)).toBe(true);

    const started = await Promise.all(claims.map((rows) => ledger.beginAttempts(rows.map((r) => r.id), owner)));
    expect(counting.statements.begin).toBe(2);
    started.forEach((attempts, i) => {
      expect(attempts.map((a) => a.notificationId).sort()).toEqual(claims[i].map((r) => r.id).sort());
      for (const a of attempts) expect(a.attemptNumber).toBe(1);
    });
    // Another owner's begin does not share the statement and, as alone, starts nothing it does not hold.
    expect(await ledger.beginAttempts([ids[0]], 'someone-else')).toEqual([]);

    const retried = started[2][0].notificationId;
    await Promise.all(started.map((attempts) => ledger.finishAttempts(attempts.map((a) => (a.notificationId === retried ? retryLater(a) : sent(a))))));
    expect(counting.statements.finish).toBe(2);

    const { rows: states } = await herald.db.query(
      `SELECT id, status, lease_owner, provider_message_id, attempt_count FROM notifications WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    for (const s of states) {
      expect(s.lease_owner).toBeNull();
      expect(s.attempt_count).toBe(1);
      if (s.id === retried) expect(s.status).toBe('queued');
      else expect([s.status, s.provider_message_id]).toEqual(['sent', `m-${s.id}`]);
    }
    const { rows: attempts } = await herald.db.query(
      `SELECT notification_id, outcome FROM notification_attempts WHERE notification_id = ANY($1::uuid[])`,
      [ids],
    );
    expect(attempts).toHaveLength(40);
    expect(attempts.filter((a: { outcome: string }) => a.outcome === 'transient_failure').map((a: { notification_id: string }) => a.notification_id)).toEqual([retried]);
    const { rows: moves } = await herald.db.query(
      `SELECT to_status, count(*)::int AS n FROM notification_status_history
       WHERE notification_id = ANY($1::uuid[]) AND from_status = 'sending' GROUP BY to_status ORDER BY to_status`,
      [ids],
    );
    expect(moves).toEqual([
      { to_status: 'queued', n: 1 },
      { to_status: 'sent', n: 39 },
    ]);
    // The retry's outbox entry (beside the entries intake wrote, which no relay consumed here).
    const { rows: outbox } = await herald.db.query(`SELECT count(*)::int AS n FROM outbox WHERE notification_id = $1 AND available_at > now()`, [
      retried,
    ]);
    expect(outbox[0].n).toBe(1);
  });

  it('claims nothing twice when merged claims race with a separate statement for the same ids', async () => {
    const ids = await accept(20);
    const counting = new CountingLedger(herald.app.get(DeliveryLedgerTypeormRepository));
    const ledger = new CoalescingDeliveryLedger(counting, 1);
    // A second coalescing ledger stands for another worker process taking the same redelivered messages.
    const other = new CoalescingDeliveryLedger(herald.app.get(DeliveryLedgerTypeormRepository), 1);
    const batches = Array.from({ length: 6 }, (_, i) => ids.slice((i * 7) % 20, ((i * 7) % 20) + 6));
    const results = await Promise.all([
      ...batches.map((b) => ledger.claimForSending(b, 'worker-a', 60_000).then((rows) => ({ owner: 'worker-a', rows }))),
      ...batches.map((b) => other.claimForSending(b, 'worker-b', 60_000).then((rows) => ({ owner: 'worker-b', rows }))),
    ]);
    expect(counting.statements.claim).toBeLessThan(batches.length);
    const claimed = results.flatMap((r) => r.rows.map((row) => ({ id: row.id, owner: r.owner })));
    expect(new Set(claimed.map((c) => c.id)).size).toBe(claimed.length);
    expect(claimed.map((c) => c.id).sort()).toEqual([...new Set(batches.flat())].sort());
    const { rows } = await herald.db.query(`SELECT id, lease_owner FROM notifications WHERE status = 'sending' AND id = ANY($1::uuid[])`, [ids]);
    const ownerOf = new Map(rows.map((r: { id: string; lease_owner: string }) => [r.id, r.lease_owner]));
    for (const c of claimed) expect(ownerOf.get(c.id)).toBe(c.owner);
  });
  it('starts attempts without touching an indexed column: updated_at keeps the claim time and the rows are updated in place', async () => {
    const ids = await accept(10);
    const ledger = herald.app.get(DeliveryLedgerTypeormRepository);
    const owner = 'worker-in-place';
    expect(await ledger.claimForSending(ids, owner, 60_000)).toHaveLength(10);
    const read = async () =>
      (await herald.db.query(`SELECT id, updated_at, provider_call_started_at FROM notifications WHERE id = ANY($1::uuid[]) ORDER BY id`, [ids])).rows;
    const heapOnlyUpdates = async (): Promise<number> =>
      (await herald.db.query(`SELECT n_tup_hot_upd::int AS n FROM pg_stat_user_tables WHERE relname = 'notifications'`)).rows[0].n;
    const claimed = await read();
    const hotBefore = await heapOnlyUpdates();

    expect(await ledger.beginAttempts(ids, owner)).toHaveLength(10);
    const started = await read();
    expect(started.map((r) => r.updated_at.getTime())).toEqual(claimed.map((r) => r.updated_at.getTime()));
    expect(started.every((r) => r.provider_call_started_at !== null)).toBe(true);
    // Counted as heap-only updates (no index entries written). A server process publishes its statistics at the end
    // of a transaction at least a second after its last report, or ten seconds later when idle: a second on, a
    // statement on every pooled connection makes the one that ran the update report it.
    const pool = herald.app.get(DataSource);
    let hot = 0;
    for (let i = 0; i < 30 && hot < 10; i++) {
      await new Promise((r) => setTimeout(r, 500));
      await Promise.all(Array.from({ length: 10 }, () => pool.query(`SELECT pg_sleep(0.01)`)));
      hot = (await heapOnlyUpdates()) - hotBefore;
    }
    expect(hot).toBeGreaterThanOrEqual(10);
  });
});
