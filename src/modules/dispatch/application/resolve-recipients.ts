import { Injectable } from '@nestjs/common';
import type { Channel } from '../../../domain/notification/channel';
import type { Recipient } from '../../../domain/notification/notification-request';
import type { ClaimedNotification } from '../../../domain/ports/delivery-ledger.port';
import { RecipientDirectory } from '../../../domain/ports/recipient-directory.port';
import type { RecipientProfile } from '../../../domain/recipient/recipient-profile';

/** Whether the request itself carries an address for the channel. */
function hasDirectAddress(channel: Channel, r: Recipient): boolean {
  switch (channel) {
    case 'email':
      return Boolean(r.email);
    case 'sms':
      return Boolean(r.phone);
    case 'push':
      return (r.deviceTokens ?? []).some((t) => t.platform !== 'webpush');
    case 'webpush':
      return (r.deviceTokens ?? []).some((t) => t.platform === 'webpush');
    case 'chat':
      return (r.chatDestinations ?? []).length > 0;
    case 'inapp':
      return true;
  }
}

function fromProfile(channel: Channel, r: Recipient, p: RecipientProfile): Recipient {
  switch (channel) {
    case 'email':
      return { ...r, email: p.email ?? undefined };
    case 'sms':
      return { ...r, phone: p.phone ?? undefined };
    case 'push':
    case 'webpush':
      return { ...r, deviceTokens: p.deviceTokens };
    case 'chat':
      return { ...r, chatDestinations: p.chatDestinations };
    case 'inapp':
      return r;
  }
}

/**
 * Fills in the addresses a notification does not carry from the recipient's stored profile, read at send
 * time (so a token removed or added since the request was accepted is honoured). One query per batch.
 */
@Injectable()
export class ResolveRecipients {
  constructor(private readonly directory: RecipientDirectory) {}

  async execute(notifications: ClaimedNotification[]): Promise<ClaimedNotification[]> {
    const needing = notifications.filter((n) => n.recipient.userId && !hasDirectAddress(n.channel, n.recipient));
    if (needing.length === 0) return notifications;
    const profiles = await this.directory.getMany([...new Set(needing.map((n) => n.recipient.userId!))]);
    return notifications.map((n) => {
      const profile = n.recipient.userId ? profiles.get(n.recipient.userId) : undefined;
      if (!profile || hasDirectAddress(n.channel, n.recipient)) return n;
      return { ...n, recipient: fromProfile(n.channel, n.recipient, profile) };
    });
  }
}
