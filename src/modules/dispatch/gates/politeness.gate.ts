import { Injectable } from '@nestjs/common';
import { DispatchGate, type GateDecision } from '../../../domain/notification/dispatch-gate';
import { decidePoliteness, limitFor, type PolitenessLimit } from '../../../domain/notification/politeness-policy';
import type { ClaimedNotification } from '../../../domain/ports/delivery-ledger.port';
import { SendHistory } from '../../../domain/ports/send-history.port';
import { HeraldConfig } from '../../../infrastructure/config/herald-config';

/**
 * Per-recipient limits per category and channel (POLITENESS_LIMITS): over the limit a notification is
 * suppressed with the reason, or deferred until the window allows it, by the limit's policy. Counted
 * from what was sent in the window plus what this batch already let through; sends in flight on other
 * workers at the same moment are not counted, so concurrent workers can exceed a limit by their overlap.
 */
@Injectable()
export class PolitenessGate extends DispatchGate {
  constructor(
    private readonly config: HeraldConfig,
    private readonly history: SendHistory,
  ) {
    super();
  }

  async evaluate(notifications: ClaimedNotification[], now: Date): Promise<Map<string, GateDecision>> {
    const decisions = new Map<string, GateDecision>();
    const limited = notifications
      .map((n) => ({ n, limit: limitFor(this.config.politeness.limits, n.category, n.channel) }))
      .filter((x): x is { n: ClaimedNotification; limit: PolitenessLimit } => x.limit !== null);
    if (limited.length === 0) return decisions;
    const counts = await this.history.countSent(
      limited.map(({ n, limit }) => ({ notificationId: n.id, category: limit.category, channel: limit.channel, since: new Date(now.getTime() - limit.windowMs) })),
    );
    const countOf = new Map(counts.map((c) => [c.notificationId, c]));
    const admitted = new Map<string, number>();
    for (const { n, limit } of limited) {
      const count = countOf.get(n.id);
      if (!count) continue;
      const key = `${count.recipientKey}\u0000${limit.text}`;
      const verdict = decidePoliteness(limit, count.sent, count.oldestSentAt, admitted.get(key) ?? 0, now);
      if (verdict.kind === 'proceed') admitted.set(key, (admitted.get(key) ?? 0) + 1);
      else decisions.set(n.id, verdict);
    }
    return decisions;
  }
}
