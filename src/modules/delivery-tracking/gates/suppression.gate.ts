import { Injectable } from '@nestjs/common';
import type { Channel } from '../../../domain/notification/channel';
import { DispatchGate, type GateDecision } from '../../../domain/notification/dispatch-gate';
import type { Recipient } from '../../../domain/notification/notification-request';
import type { ClaimedNotification } from '../../../domain/ports/delivery-ledger.port';
import { SuppressionList } from '../../../domain/ports/suppression-list.port';

/** The address a channel sends to, for the channels whose addresses can be suppressed. */
function addressOf(channel: Channel, recipient: Recipient): string | null {
  if (channel === 'email') return recipient.email ?? null;
  if (channel === 'sms') return recipient.phone ?? null;
  return null;
}

/** Suppresses notifications to addresses on the suppression list (hard bounces, complaints, manual entries). */
@Injectable()
export class SuppressionGate extends DispatchGate {
  constructor(private readonly list: SuppressionList) {
    super();
  }

  async evaluate(notifications: ClaimedNotification[]): Promise<Map<string, GateDecision>> {
    const decisions = new Map<string, GateDecision>();
    const byChannel = new Map<Channel, ClaimedNotification[]>();
    for (const n of notifications) {
      if (addressOf(n.channel, n.recipient as Recipient)) byChannel.set(n.channel, [...(byChannel.get(n.channel) ?? []), n]);
    }
    for (const [channel, group] of byChannel) {
      const found = await this.list.find(channel, group.map((n) => addressOf(channel, n.recipient as Recipient)!));
      for (const n of group) {
        const address = addressOf(channel, n.recipient as Recipient)!;
        const entry = found.get(channel === 'email' ? address.trim().toLowerCase() : address.trim());
        if (entry) decisions.set(n.id, { kind: 'suppress', reason: `${address} is on the suppression list (${entry.reason}, from ${entry.source})` });
      }
    }
    return decisions;
  }
}
