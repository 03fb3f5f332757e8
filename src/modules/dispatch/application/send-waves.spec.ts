import { decideAfterSend } from '../../../domain/notification/dispatch-decision';
import type { ClaimedNotification } from '../../../domain/notification/claimed-notification';
import { DeliveryLedger, type FinishedAttempt, type LeaseRecoveryReport, type StartedAttempt } from '../../../domain/ports/delivery-ledger.port';
import { SendWaves, type WaveWork } from './send-waves';

/** Records the statements a wave makes; starts every attempt it is asked to, except those named in `lost`. */
class RecordingLedger extends DeliveryLedger {
  readonly begun: string[][] = [];
  readonly commits: string[][] = [];
  lost = new Set<string>();
  failCommits = 0;
  claimForSending(): Promise<ClaimedNotification[]> {
    throw new Error('not expected');
  }
  async beginAttempts(ids: string[]): Promise<StartedAttempt[]> {
    this.begun.push(ids);
    return ids.filter((id) => !this.lost.has(id)).map((id) => ({ notificationId: id, attemptId: `a-${id}`, attemptNumber: 1 }));
  }
  async finishAttempts(finished: FinishedAttempt[]): Promise<void> {
    if (this.failCommits-- > 0) throw new Error('connection refused');
    this.commits.push(finished.map((f) => f.notificationId));
  }
  recoverExpiredLeases(): Promise<LeaseRecoveryReport> {
    throw new Error('not expected');
  }
  requeueStranded(): Promise<number> {
    throw new Error('not expected');
  }
}

const claimed = (id: string): ClaimedNotification => ({ id, channel: 'email', recipient: { email: `${id}@example.com` }, content: {}, category: null, metadata: {}, attemptCount: 0 });
const outcomeOf = (started: StartedAttempt): FinishedAttempt => ({
  notificationId: started.notificationId,
  attemptId: started.attemptId,
  provider: 'smtp',
  providerMessageId: null,
  errorCode: null,
  errorMessage: null,
  durationMs: 1,
  decision: decideAfterSend({ outcome: 'sent' }, started.attemptNumber, { maxAttempts: 3, delaysMs: [1000] } as never, new Date()),
});

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(condition()).toBe(true);
}

function work(overrides: Partial<WaveWork> = {}): WaveWork & { attempted: string[]; committedOutcomes: string[][] } {
  const attempted: string[] = [];
  const committedOutcomes: string[][] = [];
  return {
    channel: 'email',
    maxInFlight: 4,
    workerId: 'w-1',
    attempted,
    committedOutcomes,
    attempt: async (n, started) => {
      attempted.push(n.id);
      return outcomeOf(started);
    },
    committed: (_wave, outcomes) => committedOutcomes.push(outcomes.map((o) => o.notificationId)),
    ...overrides,
  };
}

describe('SendWaves', () => {
  it('sends in waves of maxInFlight / wavesInFlight, each starting its attempts and committing its outcomes in one statement', async () => {
    const ledger = new RecordingLedger();
    const waves = new SendWaves(ledger, () => undefined, { wavesInFlight: 2, lingerMs: 50, retryBaseMs: 1 });
    const w = work();
    const finished = await waves.run(['n1', 'n2', 'n3', 'n4', 'n5'].map(claimed), w);

    expect(ledger.begun).toEqual([['n1', 'n2'], ['n3', 'n4'], ['n5']]);
    expect(ledger.commits.map((c) => [...c].sort())).toEqual([['n1', 'n2'], ['n3', 'n4'], ['n5']]);
    expect(w.committedOutcomes).toHaveLength(3);
    expect(finished.map((f) => f.notificationId).sort()).toEqual(['n1', 'n2', 'n3', 'n4', 'n5']);
  });

  it('holds no more than wavesInFlight waves of a channel in flight at once', async () => {
    const ledger = new RecordingLedger();
    const waves = new SendWaves(ledger, () => undefined, { wavesInFlight: 2, lingerMs: 50, retryBaseMs: 1 });
    let inFlight = 0;
    let most = 0;
    const w = work({
      maxInFlight: 2,
      attempt: async (_n, started) => {
        most = Math.max(most, ++inFlight);
        await new Promise((r) => setTimeout(r, 5));
        inFlight--;
        return outcomeOf(started);
      },
    });
    await waves.run(['n1', 'n2', 'n3', 'n4', 'n5', 'n6'].map(claimed), w);
    expect(ledger.begun).toHaveLength(6);
    expect(most).toBe(2);
  });

  it('commits the known outcomes of a wave without waiting for a send that hangs', async () => {
    const ledger = new RecordingLedger();
    const waves = new SendWaves(ledger, () => undefined, { wavesInFlight: 1, lingerMs: 20, retryBaseMs: 1 });
    let release!: () => void;
    const hung = new Promise<void>((r) => (release = r));
    const w = work({
      attempt: async (n, started) => {
        if (n.id === 'slow') await hung;
        return outcomeOf(started);
      },
    });
    const running = waves.run(['n1', 'slow', 'n2'].map(claimed), w);

    await until(() => ledger.commits.length === 1);
    expect([...ledger.commits[0]].sort()).toEqual(['n1', 'n2']);
    release();
    await running;
    expect(ledger.commits).toHaveLength(2);
    expect(ledger.commits[1]).toEqual(['slow']);
  });

  it('leaves alone a notification whose attempt was not started', async () => {
    const ledger = new RecordingLedger();
    ledger.lost.add('n2');
    const w = work();
    const finished = await new SendWaves(ledger, () => undefined).run(['n1', 'n2'].map(claimed), w);
    expect(w.attempted).toEqual(['n1']);
    expect(finished.map((f) => f.notificationId)).toEqual(['n1']);
  });

  it('retries a failed commit, and after five tries fails the run once every send has ended', async () => {
    const ledger = new RecordingLedger();
    const warnings: string[] = [];
    const waves = new SendWaves(ledger, (m) => warnings.push(m.msg), { wavesInFlight: 2, lingerMs: 50, retryBaseMs: 1 });

    ledger.failCommits = 2;
    await waves.run(['n1'].map(claimed), work());
    expect(ledger.commits).toEqual([['n1']]);
    expect(warnings).toHaveLength(2);

    ledger.failCommits = 5;
    const w = work();
    await expect(waves.run(['n2', 'n3'].map(claimed), w)).rejects.toThrow('connection refused');
    expect(w.attempted.sort()).toEqual(['n2', 'n3']);
    expect(w.committedOutcomes).toEqual([]);
  });
});
