import { bulkhead, type BulkheadPolicy } from 'cockatiel';
import type { Channel } from '../../../domain/notification/channel';
import type { ClaimedNotification } from '../../../domain/notification/claimed-notification';
import type { DeliveryLedger, FinishedAttempt, StartedAttempt } from '../../../domain/ports/delivery-ledger.port';

export interface SendWavesOptions {
  /** Waves of sends a channel has in flight at once in one process; each starts its attempts in one statement. */
  wavesInFlight: number;
  /**
   * How long a known outcome may wait for the rest of its wave before it is committed on its own: long enough
   * that a wave's outcomes normally share one statement, short enough that a hung send holds back no other record.
   */
  lingerMs: number;
  /** Commit retries wait `retryBaseMs * 2^try`. */
  retryBaseMs: number;
}

export const SEND_WAVES_DEFAULTS: SendWavesOptions = { wavesInFlight: 2, lingerMs: 50, retryBaseMs: 200 };

export interface WaveWork {
  channel: Channel;
  /** The channel's limit of sends in flight in this process. */
  maxInFlight: number;
  workerId: string;
  /** Calls the provider for one notification whose attempt was started and decides what becomes of it. */
  attempt(notification: ClaimedNotification, started: StartedAttempt): Promise<FinishedAttempt>;
  /** After each commit: these outcomes are durable. */
  committed(wave: ClaimedNotification[], outcomes: FinishedAttempt[], attemptOf: Map<string, StartedAttempt>): void;
}

/**
 * How sends are batched into statements: notifications go out in waves, each starting its attempts in one
 * statement and committing its outcomes in as few as the sends' timing allows, with at most `wavesInFlight`
 * waves (so at most `maxInFlight` sends) of a channel in flight at once in this process.
 */
export class SendWaves {
  private readonly slots = new Map<Channel, BulkheadPolicy>();

  constructor(
    private readonly ledger: DeliveryLedger,
    private readonly warn: (message: { msg: string; notificationIds: string[] }) => void,
    private readonly options: SendWavesOptions = SEND_WAVES_DEFAULTS,
  ) {}

  /** Every wave runs to its end, even when another failed (their outcomes are committed); then the first failure is thrown. */
  async run(notifications: ClaimedNotification[], work: WaveWork): Promise<FinishedAttempt[]> {
    const slots = this.slotsOf(work.channel);
    const waveSize = Math.max(1, Math.ceil(work.maxInFlight / this.options.wavesInFlight));
    const waves: ClaimedNotification[][] = [];
    for (let i = 0; i < notifications.length; i += waveSize) waves.push(notifications.slice(i, i + waveSize));
    const waveResults = await Promise.allSettled(waves.map((wave) => slots.execute(() => this.attemptWave(wave, work))));
    const failedWave = waveResults.find((r) => r.status === 'rejected');
    if (failedWave) throw failedWave.reason;
    return waveResults.flatMap((r) => (r.status === 'fulfilled' ? r.value : []));
  }

  /** Outcomes are facts that must not be lost to a passing database error once the provider answered. */
  async commit(finished: FinishedAttempt[]): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.ledger.finishAttempts(finished);
        return;
      } catch (err) {
        if (attempt >= 5) throw err;
        this.warn({
          msg: `recording ${finished.length} outcomes failed (try ${attempt}): ${(err as Error).message}`,
          notificationIds: finished.map((f) => f.notificationId),
        });
        await new Promise((r) => setTimeout(r, this.options.retryBaseMs * 2 ** attempt));
      }
    }
  }

  /** One bulkhead per channel; the waves past `wavesInFlight` wait their turn. */
  private slotsOf(channel: Channel): BulkheadPolicy {
    let slots = this.slots.get(channel);
    if (!slots) {
      slots = bulkhead(this.options.wavesInFlight, Number.MAX_SAFE_INTEGER);
      this.slots.set(channel, slots);
    }
    return slots;
  }

  /**
   * Starts the wave's attempts in one statement (from here a crash leaves their outcomes unknown), calls the
   * provider for each, and commits the outcomes: all in one statement when the wave's sends end together, as
   * they normally do, and otherwise those known `lingerMs` after the first uncommitted one, so that a slow
   * or hung send does not hold back the record of the others (a worker that dies leaves unknown only the sends
   * it had not finished, and at most that much of the outcomes it knew). A notification whose attempt was not
   * started (the claim is no longer this worker's) is left alone. The wave ends when every send has ended and
   * every outcome is committed, even if one commit failed.
   */
  private async attemptWave(wave: ClaimedNotification[], work: WaveWork): Promise<FinishedAttempt[]> {
    const started = await this.ledger.beginAttempts(
      wave.map((n) => n.id),
      work.workerId,
    );
    const byId = new Map(wave.map((n) => [n.id, n]));
    const attemptOf = new Map(started.map((a) => [a.notificationId, a]));
    const finished: FinishedAttempt[] = [];
    const uncommitted: FinishedAttempt[] = [];
    const commits: Array<Promise<void>> = [];
    let linger: NodeJS.Timeout | undefined;
    const commit = () => {
      clearTimeout(linger);
      linger = undefined;
      const outcomes = uncommitted.splice(0);
      if (outcomes.length === 0) return;
      const committing = this.commit(outcomes).then(() => work.committed(wave, outcomes, attemptOf));
      // Observed at once: a commit may fail while other sends of the wave go on; its error is reported below.
      committing.catch(() => undefined);
      commits.push(committing);
    };
    const sends = await Promise.allSettled(
      started.map(async (attempt) => {
        const outcome = await work.attempt(byId.get(attempt.notificationId)!, attempt);
        finished.push(outcome);
        uncommitted.push(outcome);
        if (finished.length === started.length) commit();
        else linger ??= setTimeout(commit, this.options.lingerMs);
      }),
    );
    commit();
    const failed = [...sends, ...(await Promise.allSettled(commits))].find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
    return finished;
  }
}
