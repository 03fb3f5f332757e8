import { Injectable } from '@nestjs/common';
import type { Channel } from '../../../domain/notification/channel';
import { DispatchGate, type GateDecision } from '../../../domain/notification/dispatch-gate';
import { decidePreference, emptyPreferences } from '../../../domain/preferences/preference-policy';
import type { ClaimedNotification } from '../../../domain/ports/delivery-ledger.port';
import { PreferenceStore } from '../../../domain/ports/preference-store.port';

/** The recipient's direct address on a channel that has one. */
function directAddress(n: ClaimedNotification): string | null {
  if (n.channel === 'email') return n.recipient.email?.toLowerCase() ?? null;
  if (n.channel === 'sms') return n.recipient.phone ?? null;
  return null;
}

/**
 * Preferences and opt-outs, checked when the notification is about to be sent (not when accepted),
 * so a change made in between is honoured. Critical categories pass whatever the opt-outs say.
 */
@Injectable()
export class PreferenceDispatchGate extends DispatchGate {
  constructor(private readonly store: PreferenceStore) {
    super();
  }

  async evaluate(notifications: ClaimedNotification[]): Promise<Map<string, GateDecision>> {
    const userIds = [...new Set(notifications.map((n) => n.recipient.userId).filter((u): u is string => Boolean(u)))];
    const categoryNames = [...new Set(notifications.map((n) => n.category).filter((c): c is string => c !== null))];
    const byChannel = new Map<Channel, string[]>();
    for (const n of notifications) {
      const address = directAddress(n);
      if (address) byChannel.set(n.channel, [...(byChannel.get(n.channel) ?? []), address]);
    }
    const [prefs, categories, optedOut] = await Promise.all([
      this.store.getPreferences(userIds),
      this.store.getCategories(categoryNames),
      Promise.all([...byChannel].map(async ([channel, addresses]) => [channel, await this.store.optedOutAddresses(channel, addresses)] as const)),
    ]);
    const stoppedAddresses = new Map(optedOut);
    const decisions = new Map<string, GateDecision>();
    for (const n of notifications) {
      const category = n.category ? (categories.get(n.category) ?? null) : null;
      if (category?.critical) continue;
      const address = directAddress(n);
      if (address && stoppedAddresses.get(n.channel)?.has(address)) {
        decisions.set(n.id, { kind: 'suppress', reason: `preferences: ${address} opted out of ${n.channel}` });
        continue;
      }
      const userPrefs = (n.recipient.userId && prefs.get(n.recipient.userId)) || emptyPreferences(n.recipient.userId ?? address ?? 'recipient');
      const verdict = decidePreference(n.category, category, userPrefs, n.channel);
      if (!verdict.allowed) decisions.set(n.id, { kind: 'suppress', reason: verdict.reason });
    }
    return decisions;
  }
}
