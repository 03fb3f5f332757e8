import { Inject, Injectable, Logger } from '@nestjs/common';
import { bulkhead, type BulkheadPolicy } from 'cockatiel';
import type { Channel } from '../../../domain/notification/channel';
import { decideAfterSend, decideFromGate } from '../../../domain/notification/dispatch-decision';
import type { DispatchGate, GateDecision } from '../../../domain/notification/dispatch-gate';
import type { ClaimedNotification, StartedAttempt } from '../../../domain/ports/delivery-ledger.port';
import type { ChannelSender } from '../../../domain/ports/channel-sender.port';
import type { SendResult } from '../../../domain/notification/send-result';
import { DeliveryLedger, type FinishedAttempt } from '../../../domain/ports/delivery-ledger.port';
import { DeliveryMetrics } from '../../../domain/ports/delivery-metrics.port';
import { HeraldConfig } from '../../../infrastructure/config/herald-config';
import { ChannelSenders } from '../channels/channel-senders';
import type { DestinationSend } from '../../../domain/routing/destination-fan-out';
import type { DestinationOutcome } from '../../../domain/ports/delivery-ledger.port';
import { WorkerIdentity } from './worker-identity';
import { ResolveRecipients } from './resolve-recipients';

/** Waves of sends a channel has in flight at once in one process; each starts its attempts in one statement. */
const WAVES_IN_FLIGHT = 2;

/**
 * How long a known outcome may wait for the rest of its wave before it is committed on its own: long enough that
 * a wave's outcomes normally share one statement, short enough that a hung send holds back no other record.
 */
const OUTCOME_LINGER_MS = 50;

/** Token for the ordered list of DispatchGate instances consulted before every send. */
export const DISPATCH_GATES = Symbol('DISPATCH_GATES');

export interface SendNotificationsInput {
  channel: Channel;
  notificationIds: string[];
}

export interface SendNotificationsOutput {
  /** Notifications whose state is committed: their queue messages can be deleted. */
  settledIds: string[];
  sent: number;
  skipped: number;
}

/**
 * Claims the notifications named by a batch of queue messages, sends the ones it won, and commits
 * every outcome. Notifications it could not claim (already sent, being sent by a live worker, not yet
 * due) are settled too: their progress does not depend on this message.
 */
@Injectable()
export class SendNotifications {
  private readonly logger = new Logger('Dispatch');
  private readonly slots = new Map<Channel, BulkheadPolicy>();

  constructor(
    private readonly ledger: DeliveryLedger,
    private readonly senders: ChannelSenders,
    private readonly config: HeraldConfig,
    private readonly worker: WorkerIdentity,
    @Inject(DISPATCH_GATES) private readonly gates: DispatchGate[],
    private readonly resolveRecipients: ResolveRecipients,
    private readonly metrics: DeliveryMetrics,
  ) {}

  async execute(input: SendNotificationsInput): Promise<SendNotificationsOutput> {
    const ids = [...new Set(input.notificationIds)];
    const sender = this.senders.get(input.channel);
    const claimed = await this.ledger.claimForSending(ids, this.worker.id, this.config.dispatch.leaseMs);
    if (claimed.length === 0) return { settledIds: ids, sent: 0, skipped: ids.length };

    const gated = await this.applyGates(claimed);
    const held = gated.held;
    if (held.length > 0) {
      // Suppressed or deferred by a gate: settled at once, not after the sends of the batch.
      await this.commitWithRetry(held);
      this.recordMetrics(claimed, held, new Map());
    }
    const pass = await this.resolveRecipients.execute(gated.pass);
    const slots = this.slotsOf(sender);
    const waveSize = Math.max(1, Math.ceil(sender.maxInFlight / WAVES_IN_FLIGHT));
    const waves: ClaimedNotification[][] = [];
    for (let i = 0; i < pass.length; i += waveSize) waves.push(pass.slice(i, i + waveSize));
    // Every wave runs to its end before the batch answers, even when another failed: their outcomes are committed.
    const waveResults = await Promise.allSettled(waves.map((wave) => slots.execute(() => this.attemptWave(sender, wave))));
    const failedWave = waveResults.find((r) => r.status === 'rejected');
    // Nothing is acknowledged: the messages come back, and what was settled meanwhile is not claimed again.
    if (failedWave) throw failedWave.reason;
    const finished = waveResults.flatMap((r) => (r.status === 'fulfilled' ? r.value : []));
    return { settledIds: ids, sent: finished.filter((f) => f.decision.status === 'sent').length, skipped: ids.length - finished.length };
  }

  /**
   * One bulkhead per channel: at most WAVES_IN_FLIGHT waves of `maxInFlight / WAVES_IN_FLIGHT` sends at once in
   * this process (so at most `maxInFlight` sends), the rest wait their turn. A wave starts its attempts in one
   * statement.
   */
  private slotsOf(sender: ChannelSender): BulkheadPolicy {
    let slots = this.slots.get(sender.channel);
    if (!slots) {
      slots = bulkhead(WAVES_IN_FLIGHT, Number.MAX_SAFE_INTEGER);
      this.slots.set(sender.channel, slots);
    }
    return slots;
  }

  /**
   * Starts the wave's attempts in one statement (from here a crash leaves their outcomes unknown), calls the
   * provider for each, and commits the outcomes: all in one statement when the wave's sends end together, as
   * they normally do, and otherwise those known OUTCOME_LINGER_MS after the first uncommitted one, so that a slow
   * or hung send does not hold back the record of the others (a worker that dies leaves unknown only the sends
   * it had not finished, and at most that much of the outcomes it knew). A notification whose attempt was not
   * started (the claim is no longer this worker's) is left alone. The wave ends when every send has ended and
   * every outcome is committed, even if one commit failed.
   */
  private async attemptWave(sender: ChannelSender, wave: ClaimedNotification[]): Promise<FinishedAttempt[]> {
    const started = await this.ledger.beginAttempts(
      wave.map((n) => n.id),
      this.worker.id,
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
      const committing = this.commitWithRetry(outcomes).then(() => this.recordMetrics(wave, outcomes, attemptOf));
      // Observed at once: a commit may fail while other sends of the wave go on; its error is reported below.
      committing.catch(() => undefined);
      commits.push(committing);
    };
    const sends = await Promise.allSettled(
      started.map(async (attempt) => {
        const outcome = await this.attempt(sender, byId.get(attempt.notificationId)!, attempt);
        finished.push(outcome);
        uncommitted.push(outcome);
        if (finished.length === started.length) commit();
        else linger ??= setTimeout(commit, OUTCOME_LINGER_MS);
      }),
    );
    commit();
    const failed = [...sends, ...(await Promise.allSettled(commits))].find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
    return finished;
  }

  private async attempt(sender: ChannelSender, notification: ClaimedNotification, attempt: StartedAttempt): Promise<FinishedAttempt> {
    const t0 = performance.now();
    let provider: string | null = null;
    let result: SendResult;
    let destinations: DestinationSend[] | undefined;
    try {
      ({ provider, result, destinations } = await sender.send(notification));
    } catch (err) {
      // An adapter that throws has broken its contract; the request may have gone out, so do not guess.
      result = { outcome: 'unknown', code: 'adapter_error', message: (err as Error).message };
    }
    const decision = decideAfterSend(result, attempt.attemptNumber, this.config.dispatch.retry, new Date());
    const failure = result.outcome === 'sent' ? null : result;
    this.logger.log({
      msg: 'send attempt finished',
      notificationId: notification.id,
      channel: notification.channel,
      attempt: attempt.attemptNumber,
      provider,
      outcome: result.outcome,
      status: decision.status,
      errorCode: failure?.code,
    });
    return {
      notificationId: notification.id,
      attemptId: attempt.attemptId,
      provider,
      providerMessageId: result.outcome === 'sent' ? (result.providerMessageId ?? null) : null,
      errorCode: failure?.code ?? null,
      errorMessage: failure?.message ?? null,
      durationMs: performance.now() - t0,
      decision,
      destinations: destinations?.map(destinationOutcome),
    };
  }

  /** Runs every gate; the first that suppresses or defers a notification decides for it. */
  private async applyGates(claimed: ClaimedNotification[]): Promise<{ pass: ClaimedNotification[]; held: FinishedAttempt[] }> {
    const verdicts = new Map<string, Exclude<GateDecision, { kind: 'proceed' }>>();
    const now = new Date();
    for (const gate of this.gates) {
      const open = claimed.filter((c) => !verdicts.has(c.id));
      if (open.length === 0) break;
      for (const [id, decision] of await gate.evaluate(open, now)) {
        if (decision.kind !== 'proceed') verdicts.set(id, decision);
      }
    }
    const held = [...verdicts].map(([notificationId, decision]): FinishedAttempt => ({
      notificationId,
      attemptId: null,
      provider: null,
      providerMessageId: null,
      errorCode: null,
      errorMessage: null,
      durationMs: 0,
      decision: decideFromGate(decision),
    }));
    return { pass: claimed.filter((c) => !verdicts.has(c.id)), held };
  }

  private recordMetrics(claimed: ClaimedNotification[], settled: FinishedAttempt[], attemptOf: Map<string, { attemptNumber: number }>): void {
    const byId = new Map(claimed.map((c) => [c.id, c]));
    this.metrics.settled(
      settled.map((f) => {
        // A withdrawn attempt called no provider: it is no attempt for the metrics either.
        const attempt = f.attemptId && !f.decision.attemptWithdrawn ? attemptOf.get(f.notificationId) : undefined;
        return {
          channel: byId.get(f.notificationId)!.channel,
          category: byId.get(f.notificationId)!.category,
          provider: f.provider,
          decision: f.decision,
          attempt: attempt ? { number: attempt.attemptNumber, outcome: f.decision.attemptOutcome, durationMs: f.durationMs } : null,
        };
      }),
    );
  }

  /** Outcomes are facts that must not be lost to a passing database error once the provider answered. */
  private async commitWithRetry(finished: FinishedAttempt[]): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.ledger.finishAttempts(finished);
        return;
      } catch (err) {
        if (attempt >= 5) throw err;
        this.logger.warn({
          msg: `recording ${finished.length} outcomes failed (try ${attempt}): ${(err as Error).message}`,
          notificationIds: finished.map((f) => f.notificationId),
        });
        await new Promise((r) => setTimeout(r, 200 * 2 ** attempt));
      }
    }
  }
}

function destinationOutcome(d: DestinationSend): DestinationOutcome {
  const r = d.result;
  const outcome = r.outcome === 'sent' ? 'sent' : r.outcome === 'transient' ? 'transient_failure' : r.outcome === 'permanent' ? 'permanent_failure' : 'unknown';
  return {
    destination: d.destination,
    provider: d.provider,
    outcome,
    errorCode: r.outcome === 'sent' ? null : r.code,
    errorMessage: r.outcome === 'sent' ? null : r.message,
    providerMessageId: r.outcome === 'sent' ? (r.providerMessageId ?? null) : null,
  };
}
