import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Channel } from '../../../domain/notification/channel';
import { decideAfterSend, decideFromGate } from '../../../domain/notification/dispatch-decision';
import type { DispatchGate, GateDecision } from '../../../domain/notification/dispatch-gate';
import type { ClaimedNotification, StartedAttempt } from '../../../domain/ports/delivery-ledger.port';
import type { ChannelSender } from '../../../domain/ports/channel-sender.port';
import type { SendResult } from '../../../domain/notification/send-result';
import type { NotificationContent } from '../../../domain/notification/notification-request';
import { DeliveryLedger, type FinishedAttempt } from '../../../domain/ports/delivery-ledger.port';
import { DeliveryMetrics } from '../../../domain/ports/delivery-metrics.port';
import { HeraldConfig } from '../../../infrastructure/config/herald-config';
import { ChannelSenders } from '../channels/channel-senders';
import type { DestinationSend } from '../../../domain/routing/destination-fan-out';
import type { DestinationOutcome } from '../../../domain/ports/delivery-ledger.port';
import { WorkerIdentity } from './worker-identity';
import { ResolveRecipients } from './resolve-recipients';
import { SendWaves } from './send-waves';

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
  private readonly waves: SendWaves;

  constructor(
    private readonly ledger: DeliveryLedger,
    private readonly senders: ChannelSenders,
    private readonly config: HeraldConfig,
    private readonly worker: WorkerIdentity,
    @Inject(DISPATCH_GATES) private readonly gates: DispatchGate[],
    private readonly resolveRecipients: ResolveRecipients,
    private readonly metrics: DeliveryMetrics,
  ) {
    this.waves = new SendWaves(ledger, (message) => this.logger.warn(message));
  }

  async execute(input: SendNotificationsInput): Promise<SendNotificationsOutput> {
    const ids = [...new Set(input.notificationIds)];
    const sender = this.senders.get(input.channel);
    const claimed = await this.ledger.claimForSending(ids, this.worker.id, this.config.dispatch.leaseMs);
    if (claimed.length === 0) return { settledIds: ids, sent: 0, skipped: ids.length };

    const gated = await this.applyGates(claimed);
    const held = gated.held;
    if (held.length > 0) {
      // Suppressed or deferred by a gate: settled at once, not after the sends of the batch.
      await this.waves.commit(held);
      this.recordMetrics(claimed, held, new Map());
    }
    const pass = await this.resolveRecipients.execute(gated.pass);
    // Every wave runs to its end before the batch answers, even when another failed: their outcomes are committed.
    // If one failed, nothing is acknowledged: the messages come back, and what was settled meanwhile is not claimed again.
    const finished = await this.waves.run(pass, {
      channel: sender.channel,
      maxInFlight: sender.maxInFlight,
      workerId: this.worker.id,
      attempt: (notification, started) => this.attempt(sender, notification, started),
      committed: (wave, outcomes, attemptOf) => this.recordMetrics(wave, outcomes, attemptOf),
    });
    return { settledIds: ids, sent: finished.filter((f) => f.decision.status === 'sent').length, skipped: ids.length - finished.length };
  }

  private async attempt(sender: ChannelSender, notification: ClaimedNotification, attempt: StartedAttempt): Promise<FinishedAttempt> {
    const t0 = performance.now();
    let provider: string | null = null;
    let result: SendResult;
    let destinations: DestinationSend[] | undefined;
    let sent: NotificationContent | undefined;
    try {
      ({ provider, result, destinations, sent } = await sender.send(notification));
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
      attemptNumber: attempt.attemptNumber,
      provider,
      providerMessageId: result.outcome === 'sent' ? (result.providerMessageId ?? null) : null,
      errorCode: failure?.code ?? null,
      errorMessage: failure?.message ?? null,
      durationMs: performance.now() - t0,
      decision,
      destinations: destinations?.map(destinationOutcome),
      sentContent: sent,
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
          template: byId.get(f.notificationId)!.template ?? null,
          provider: f.provider,
          decision: f.decision,
          attempt: attempt ? { number: attempt.attemptNumber, outcome: f.decision.attemptOutcome, durationMs: f.durationMs } : null,
        };
      }),
    );
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
