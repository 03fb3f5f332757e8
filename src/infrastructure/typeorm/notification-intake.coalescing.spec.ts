import type { IntakeItem, IntakeResult } from '../../domain/ports/notification-intake.port';
import { NotificationIntake } from '../../domain/ports/notification-intake.port';
import { CoalescingNotificationIntake } from './notification-intake.coalescing';

const item = (requestId: string): IntakeItem => ({
  source: 'api:k',
  idempotencyKey: null,
  requestHash: 'h',
  requestId,
  drafts: [],
  category: null,
  template: null,
  metadata: {},
});

/** Records every call; each call waits until the test releases it, or fails when told to. */
class ControlledIntake extends NotificationIntake {
  readonly calls: Array<{ ids: string[]; release: () => void; fail: (err: Error) => void }> = [];
  acceptBatch(items: IntakeItem[]): Promise<IntakeResult[]> {
    return new Promise((resolve, reject) => {
      this.calls.push({
        ids: items.map((i) => i.requestId),
        release: () => resolve(items.map((i) => ({ kind: 'created', requestId: i.requestId, notifications: [] }))),
        fail: reject,
      });
    });
  }
  forgetIdempotencyKeys(): Promise<number> {
    return Promise.resolve(0);
  }
}

const tick = () => new Promise((r) => setImmediate(r));

describe('CoalescingNotificationIntake', () => {
  it('writes a call at once when a slot is free, and groups the calls that arrive meanwhile into one transaction', async () => {
    const inner = new ControlledIntake();
    const intake = new CoalescingNotificationIntake(inner, 1);
    const first = intake.acceptBatch([item('a')]);
    const second = intake.acceptBatch([item('b')]);
    const third = intake.acceptBatch([item('c'), item('d')]);
    await tick();
    expect(inner.calls.map((c) => c.ids)).toEqual([['a']]);
    inner.calls[0].release();
    expect((await first).map((r) => (r.kind === 'created' ? r.requestId : null))).toEqual(['a']);
    await tick();
    expect(inner.calls.map((c) => c.ids)).toEqual([['a'], ['b', 'c', 'd']]);
    inner.calls[1].release();
    expect((await second).map((r) => (r.kind === 'created' ? r.requestId : null))).toEqual(['b']);
    expect((await third).map((r) => (r.kind === 'created' ? r.requestId : null))).toEqual(['c', 'd']);
  });

  it('passes large calls straight through', async () => {
    const inner = new ControlledIntake();
    const intake = new CoalescingNotificationIntake(inner, 1, 1000, 3);
    void intake.acceptBatch([item('a')]);
    void intake.acceptBatch([item('b'), item('c'), item('d')]);
    await tick();
    expect(inner.calls.map((c) => c.ids)).toEqual([['a'], ['b', 'c', 'd']]);
  });

  it('retries each call of a failed shared transaction on its own, so one failure stays with its caller', async () => {
    const inner = new ControlledIntake();
    const intake = new CoalescingNotificationIntake(inner, 1);
    const first = intake.acceptBatch([item('a')]);
    const second = intake.acceptBatch([item('b')]);
    const third = intake.acceptBatch([item('c')]);
    await tick();
    inner.calls[0].release();
    await first;
    await tick();
    inner.calls[1].fail(new Error('deadlock detected'));
    await tick();
    expect(inner.calls.slice(2).map((c) => c.ids)).toEqual([['b'], ['c']]);
    inner.calls[2].fail(new Error('bad row'));
    inner.calls[3].release();
    await expect(second).rejects.toThrow('bad row');
    expect((await third).map((r) => (r.kind === 'created' ? r.requestId : null))).toEqual(['c']);
  });
});
