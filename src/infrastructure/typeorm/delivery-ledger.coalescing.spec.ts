import type { Channel } from '../../domain/notification/channel';
import {
  DeliveryLedger,
  type ClaimedNotification,
  type FinishedAttempt,
  type LeaseRecoveryReport,
  type StartedAttempt,
} from '../../domain/ports/delivery-ledger.port';
import { CoalescingDeliveryLedger } from './delivery-ledger.coalescing';
import { assignRows } from './statement-coalescer';

interface Call {
  kind: 'claim' | 'begin' | 'finish';
  ids: string[];
  owner?: string;
  leaseMs?: number;
  release: () => void;
  fail: (err: Error) => void;
}

const claimed = (id: string): ClaimedNotification => ({
  id,
  channel: 'email',
  recipient: { email: `${id}@example.test` },
  content: {},
  category: null,
  metadata: {},
  attemptCount: 0,
});

const finished = (notificationId: string): FinishedAttempt => ({
  notificationId,
  attemptId: `a-${notificationId}`,
  provider: 'smtp',
  providerMessageId: null,
  errorCode: null,
  errorMessage: null,
  durationMs: 1,
  decision: { status: 'sent', attemptOutcome: 'sent', reason: null, retryAt: null },
});

/**
 * Records every statement; each waits until the test releases it (answering for the ids it names, minus
 * `taken`, as a real claim skips rows another worker holds), or fails when told to.
 */
class ControlledLedger extends DeliveryLedger {
  readonly calls: Call[] = [];
  readonly taken = new Set<string>();

  claimForSending(ids: string[], owner: string, leaseMs: number): Promise<ClaimedNotification[]> {
    return new Promise((resolve, reject) => {
      this.calls.push({
        kind: 'claim',
        ids,
        owner,
        leaseMs,
        release: () => {
          const won = [...new Set(ids)].filter((id) => !this.taken.has(id));
          won.forEach((id) => this.taken.add(id));
          resolve(won.map(claimed));
        },
        fail: reject,
      });
    });
  }
  beginAttempts(ids: string[], owner: string): Promise<StartedAttempt[]> {
    return new Promise((resolve, reject) => {
      this.calls.push({
        kind: 'begin',
        ids,
        owner,
        release: () => resolve(ids.map((id, i) => ({ notificationId: id, attemptId: `a-${id}`, attemptNumber: i + 1 }))),
        fail: reject,
      });
    });
  }
  finishAttempts(results: FinishedAttempt[]): Promise<void> {
    return new Promise((resolve, reject) => {
      this.calls.push({ kind: 'finish', ids: results.map((r) => r.notificationId), release: () => resolve(), fail: reject });
    });
  }
  recoverExpiredLeases(_channels: Channel[], _limit: number): Promise<LeaseRecoveryReport> {
    return Promise.resolve({ requeued: 0, markedUnknown: 0 });
  }
  requeueStranded(): Promise<number> {
    return Promise.resolve(0);
  }
}

const tick = () => new Promise((r) => setImmediate(r));
const idsOf = (rows: Array<{ id: string }>) => rows.map((r) => r.id);

describe('CoalescingDeliveryLedger', () => {
  it('claims at once when idle, and merges the claims that arrive meanwhile into one statement, each caller getting its own rows', async () => {
    const inner = new ControlledLedger();
    const ledger = new CoalescingDeliveryLedger(inner, 1);
    const first = ledger.claimForSending(['a'], 'w', 1000);
    const second = ledger.claimForSending(['b', 'c'], 'w', 1000);
    const third = ledger.claimForSending(['d'], 'w', 1000);
    await tick();
    expect(inner.calls.map((c) => c.ids)).toEqual([['a']]);
    inner.calls[0].release();
    expect(idsOf(await first)).toEqual(['a']);
    await tick();
    expect(inner.calls.map((c) => c.ids)).toEqual([['a'], ['b', 'c', 'd']]);
    inner.calls[1].release();
    expect(idsOf(await second)).toEqual(['b', 'c']);
    expect(idsOf(await third)).toEqual(['d']);
  });

  it('gives a notification named by two merged claims to one of them only', async () => {
    const inner = new ControlledLedger();
    const ledger = new CoalescingDeliveryLedger(inner, 1);
    void ledger.claimForSending(['z'], 'w', 1000);
    const second = ledger.claimForSending(['a', 'b'], 'w', 1000);
    const third = ledger.claimForSending(['b', 'c'], 'w', 1000);
    await tick();
    inner.calls[0].release();
    await tick();
    expect(inner.calls[1].ids).toEqual(['a', 'b', 'c']);
    inner.calls[1].release();
    const [s, t] = [idsOf(await second), idsOf(await third)];
    expect(s).toEqual(['a', 'b']);
    expect(t).toEqual(['c']);
  });

  it('merges only claims with the same owner and lease, and keeps the others waiting in their order', async () => {
    const inner = new ControlledLedger();
    const ledger = new CoalescingDeliveryLedger(inner, 1);
    void ledger.claimForSending(['z'], 'w', 1000);
    const a = ledger.claimForSending(['a'], 'w', 1000);
    const b = ledger.claimForSending(['b'], 'other', 1000);
    const c = ledger.claimForSending(['c'], 'w', 5000);
    const d = ledger.claimForSending(['d'], 'w', 1000);
    await tick();
    inner.calls[0].release();
    await tick();
    inner.calls[1].release();
    expect(idsOf(await a)).toEqual(['a']);
    expect(idsOf(await d)).toEqual(['d']);
    await tick();
    inner.calls[2].release();
    await tick();
    inner.calls[3].release();
    expect(idsOf(await b)).toEqual(['b']);
    expect(idsOf(await c)).toEqual(['c']);
    expect(inner.calls.map((x) => [x.ids, x.owner, x.leaseMs])).toEqual([
      [['z'], 'w', 1000],
      [['a', 'd'], 'w', 1000],
      [['b'], 'other', 1000],
      [['c'], 'w', 5000],
    ]);
  });

  it('bounds the size of a merged statement', async () => {
    const inner = new ControlledLedger();
    const ledger = new CoalescingDeliveryLedger(inner, 1, 4);
    void ledger.claimForSending(['z'], 'w', 1000);
    void ledger.claimForSending(['a', 'b'], 'w', 1000);
    void ledger.claimForSending(['c', 'd', 'e'], 'w', 1000);
    void ledger.claimForSending(['f', 'g'], 'w', 1000);
    await tick();
    inner.calls[0].release();
    await tick();
    inner.calls[1].release();
    await tick();
    expect(inner.calls.map((c) => c.ids)).toEqual([['z'], ['a', 'b', 'f', 'g'], ['c', 'd', 'e']]);
  });

  it('runs up to maxInFlight statements of a kind at once, and each kind on its own', async () => {
    const inner = new ControlledLedger();
    const ledger = new CoalescingDeliveryLedger(inner, 2);
    void ledger.claimForSending(['a'], 'w', 1000);
    void ledger.claimForSending(['b'], 'w', 1000);
    void ledger.claimForSending(['c'], 'w', 1000);
    void ledger.beginAttempts(['x'], 'w');
    void ledger.finishAttempts([finished('y')]);
    await tick();
    expect(inner.calls.map((c) => [c.kind, c.ids])).toEqual([
      ['claim', ['a']],
      ['claim', ['b']],
      ['begin', ['x']],
      ['finish', ['y']],
    ]);
  });

  it('splits started attempts back to their callers, and never merges begins or finishes naming the same notification', async () => {
    const inner = new ControlledLedger();
    const ledger = new CoalescingDeliveryLedger(inner, 1);
    void ledger.beginAttempts(['z'], 'w');
    const a = ledger.beginAttempts(['a', 'b'], 'w');
    const b = ledger.beginAttempts(['b'], 'w');
    const c = ledger.beginAttempts(['c'], 'w');
    await tick();
    inner.calls[0].release();
    await tick();
    expect(inner.calls[1].ids).toEqual(['a', 'b', 'c']);
    inner.calls[1].release();
    expect((await a).map((s) => s.notificationId)).toEqual(['a', 'b']);
    expect((await c).map((s) => s.notificationId)).toEqual(['c']);
    await tick();
    expect(inner.calls[2].ids).toEqual(['b']);
    inner.calls[2].release();
    expect((await b).map((s) => s.notificationId)).toEqual(['b']);

    void ledger.finishAttempts([finished('z')]);
    const f1 = ledger.finishAttempts([finished('a'), finished('b')]);
    const f2 = ledger.finishAttempts([finished('a')]);
    const f3 = ledger.finishAttempts([finished('c')]);
    await tick();
    inner.calls[3].release();
    await tick();
    expect(inner.calls[4].ids).toEqual(['a', 'b', 'c']);
    inner.calls[4].release();
    await Promise.all([f1, f3]);
    await tick();
    expect(inner.calls[5].ids).toEqual(['a']);
    inner.calls[5].release();
    await f2;
  });

  it('runs each call of a failed merged statement again on its own, so a failure reaches only the callers it belongs to', async () => {
    const inner = new ControlledLedger();
    const ledger = new CoalescingDeliveryLedger(inner, 1);
    void ledger.finishAttempts([finished('z')]);
    const a = ledger.finishAttempts([finished('a')]);
    const b = ledger.finishAttempts([finished('b')]);
    await tick();
    inner.calls[0].release();
    await tick();
    inner.calls[1].fail(new Error('invalid input syntax'));
    await tick();
    expect(inner.calls.slice(2).map((c) => c.ids)).toEqual([['a'], ['b']]);
    inner.calls[2].fail(new Error('invalid input syntax'));
    inner.calls[3].release();
    await expect(a).rejects.toThrow('invalid input syntax');
    await expect(b).resolves.toBeUndefined();
  });

  it('brings an error that persists to every caller of the merged statement', async () => {
    const inner = new ControlledLedger();
    const ledger = new CoalescingDeliveryLedger(inner, 1);
    void ledger.claimForSending(['z'], 'w', 1000);
    const a = ledger.claimForSending(['a'], 'w', 1000);
    const b = ledger.claimForSending(['a', 'b'], 'w', 1000);
    await tick();
    inner.calls[0].release();
    await tick();
    inner.calls[1].fail(new Error('connection terminated'));
    await tick();
    for (const call of inner.calls.slice(2)) call.fail(new Error('connection terminated'));
    await expect(a).rejects.toThrow('connection terminated');
    await expect(b).rejects.toThrow('connection terminated');
  });

  it('claims a notification for at most one caller when a failed merge is run again call by call', async () => {
    const inner = new ControlledLedger();
    const ledger = new CoalescingDeliveryLedger(inner, 1);
    void ledger.claimForSending(['z'], 'w', 1000);
    const a = ledger.claimForSending(['a', 'x'], 'w', 1000);
    const b = ledger.claimForSending(['x'], 'w', 1000);
    await tick();
    inner.calls[0].release();
    await tick();
    inner.calls[1].fail(new Error('deadlock detected'));
    await tick();
    inner.calls[2].release();
    inner.calls[3].release();
    expect(idsOf(await a)).toEqual(['a', 'x']);
    expect(idsOf(await b)).toEqual([]);
  });

  it('makes no statement for empty calls', async () => {
    const inner = new ControlledLedger();
    const ledger = new CoalescingDeliveryLedger(inner, 1);
    expect(await ledger.claimForSending([], 'w', 1000)).toEqual([]);
    expect(await ledger.beginAttempts([], 'w')).toEqual([]);
    await ledger.finishAttempts([]);
    expect(inner.calls).toEqual([]);
  });
});

describe('assignRows', () => {
  it('gives each row to the first call that asked for it, and no row twice', () => {
    const rows = ['b', 'a', 'c', 'b'].map((id) => ({ id }));
    expect(
      assignRows(
        [['a', 'b'], ['b', 'c'], ['d']],
        rows,
        (r) => r.id,
      ),
    ).toEqual([[{ id: 'b' }, { id: 'a' }], [{ id: 'c' }], []]);
  });

  it('drops a row nobody asked for rather than hand it to the wrong caller', () => {
    expect(assignRows([['a']], [{ id: 'a' }, { id: 'q' }], (r) => r.id)).toEqual([[{ id: 'a' }]]);
  });
});
