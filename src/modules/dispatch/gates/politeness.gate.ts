import { Injectable } from '@nestjs/common';
import { DispatchGate, type GateDecision } from '../../../domain/notification/dispatch-gate';
import { decidePoliteness, limitsFor, strictestVerdict, type PolitenessLimit } from '../../../domain/notification/politeness-policy';
import type { ClaimedNotification } from '../../../domain/ports/delivery-ledger.port';
import { SendHistory, type SentCount } from '../../../domain/ports/send-history.port';
import { HeraldConfig } from '../../../infrastructure/config/herald-config';

/**
 * Per-recipient limits per category and channel (POLITENESS_LIMITS), and across every category (`*.*`): over a
 * limit a notification is suppressed with the reason, or deferred until the window allows it, by the limit's
 * policy; it must pass every limit that applies (its category's and the one across categories). Counted
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
    const checks = notifications.flatMap((n) => limitsFor(this.config.politeness.limits, n.category, n.channel).map((limit) => ({ n, limit })));
    if (checks.length === 0) return decisions;
    const counts = await this.history.countSent(
      checks.map(({ n, limit }) => ({ notificationId: n.id, category: limit.category, channel: limit.channel, since: new Date(now.getTime() - limit.windowMs) })),
    );
    // Each notification's checks, with their counts, in batch order.
    const byNotification = new Map<ClaimedNotification, Array<{ limit: PolitenessLimit; count: SentCount | null }>>();
    checks.forEach(({ n, limit }, i) => byNotification.set(n, [...(byNotification.get(n) ?? []), { limit, count: counts[i] }]));
    // What this batch already let through, per recipient and limit.
    const admitted = new Map<string, number>();
    for (const [n, own] of byNotification) {
      if (own.some((c) => c.count === null)) continue;
      const keyed = own.map(({ limit, count }) => ({ limit, count: count!, key: `${count!.recipientKey}\u0000${limit.text}` }));
      const verdict = strictestVerdict(keyed.map(({ limit, count, key }) => decidePoliteness(limit, count.sent, count.oldestSentAt, admitted.get(key) ?? 0, now)));
      if (verdict.kind === 'proceed') for (const { key } of keyed) admitted.set(key, (admitted.get(key) ?? 0) + 1);
      else decisions.set(n.id, verdict);
    }
    return decisions;
  }
}
