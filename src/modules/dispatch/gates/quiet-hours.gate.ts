import { Injectable } from '@nestjs/common';
import { DispatchGate, type GateDecision } from '../../../domain/notification/dispatch-gate';
import type { Recipient } from '../../../domain/notification/notification-request';
import { isValidTimeZone, quietHoursEnd } from '../../../domain/notification/quiet-hours';
import type { ClaimedNotification } from '../../../domain/ports/delivery-ledger.port';
import { RecipientDirectory } from '../../../domain/ports/recipient-directory.port';
import { HeraldConfig } from '../../../infrastructure/config/herald-config';

/**
 * Defers (never drops) non-critical notifications that would arrive during QUIET_HOURS in the recipient's
 * time zone, to the end of the window. The time zone comes from the recipient's profile; a recipient
 * without one, or with an unknown zone, is not held back. Categories in QUIET_HOURS_EXEMPT_CATEGORIES
 * (default critical, security) always proceed.
 */
@Injectable()
export class QuietHoursGate extends DispatchGate {
  constructor(
    private readonly config: HeraldConfig,
    private readonly recipients: RecipientDirectory,
  ) {
    super();
  }

  async evaluate(notifications: ClaimedNotification[], now: Date): Promise<Map<string, GateDecision>> {
    const decisions = new Map<string, GateDecision>();
    const window = this.config.quietHours.window;
    if (!window) return decisions;
    const exempt = new Set(this.config.quietHours.exemptCategories);
    const candidates = notifications.filter((n) => !(n.category && exempt.has(n.category)) && (n.recipient as Recipient).userId);
    if (candidates.length === 0) return decisions;
    const profiles = await this.recipients.getMany([...new Set(candidates.map((n) => (n.recipient as Recipient).userId!))]);
    for (const n of candidates) {
      const timeZone = profiles.get((n.recipient as Recipient).userId!)?.timezone;
      if (!timeZone || !isValidTimeZone(timeZone)) continue;
      const until = quietHoursEnd(now, timeZone, window);
      if (until) decisions.set(n.id, { kind: 'defer', until, reason: `quiet hours ${window.text} in ${timeZone}; deferred until ${until.toISOString()}` });
    }
    return decisions;
  }
}
