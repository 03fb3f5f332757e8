import { Injectable } from '@nestjs/common';
import type { LinkClaim } from '../../../domain/preferences/signed-link';
import type { Channel } from '../../../domain/notification/channel';
import { PreferenceStore } from '../../../domain/ports/preference-store.port';
import { RecipientDirectory } from '../../../domain/ports/recipient-directory.port';
import { RecordDeliveryEvents } from '../../delivery-tracking/application/record-delivery-events';
import { PreferenceLinks } from './preference-links';

/** What the link stopped: a category on a channel, a whole channel for a user, or a channel for a bare address. */
export type UnsubscribedFrom =
  | { kind: 'category'; category: string; channel: Channel }
  | { kind: 'channel'; channel: Channel }
  | { kind: 'address'; address: string; channel: Channel };

export type UnsubscribeOutcome =
  /** `locale`: the user's profile locale, for the confirmation page's language (null for a bare address or no profile). */
  | { kind: 'unsubscribed'; from: UnsubscribedFrom; preferencePageUrl: string | null; locale: string | null }
  | { kind: 'refused'; problem: 'tampered' | 'expired' };

/**
 * Follows a signed unsubscribe link (visible link or RFC 8058 one-click POST): no login, idempotent. Besides the
 * preference, the notification the link came with is marked `unsubscribed` (a delivery event, recorded once);
 * links signed before they named their notification change the preference only.
 */
@Injectable()
export class ApplyUnsubscribeLink {
  constructor(
    private readonly links: PreferenceLinks,
    private readonly store: PreferenceStore,
    private readonly events: RecordDeliveryEvents,
    private readonly directory: RecipientDirectory,
  ) {}

  async execute(input: { token: string | undefined }): Promise<UnsubscribeOutcome> {
    const check = this.links.verify(input.token);
    if (!check.valid) return { kind: 'refused', problem: check.problem };
    const claim = check.claim;
    if (claim.purpose !== 'unsubscribe') return { kind: 'refused', problem: 'tampered' };
    const outcome = await this.applyPreference(claim);
    if (outcome.kind === 'unsubscribed' && claim.notificationId) await this.markNotification(claim.notificationId, claim.channel, describe(outcome.from));
    return outcome;
  }

  private async applyPreference(claim: Extract<LinkClaim, { purpose: 'unsubscribe' }>): Promise<UnsubscribeOutcome> {
    if (claim.userId) {
      const page = this.links.preferencePageUrl(claim.userId).url;
      if (claim.category) await this.store.setCategoryChannel(claim.userId, claim.category, claim.channel, false);
      else await this.store.optOutChannel(claim.userId, claim.channel, 'unsubscribe-link');
      const from: UnsubscribedFrom = claim.category ? { kind: 'category', category: claim.category, channel: claim.channel } : { kind: 'channel', channel: claim.channel };
      const locale = (await this.directory.get(claim.userId))?.locale ?? null;
      return { kind: 'unsubscribed', from, preferencePageUrl: page, locale };
    }
    if (claim.address) {
      await this.store.optOutAddress(claim.channel, claim.address, 'unsubscribe-link');
      return { kind: 'unsubscribed', from: { kind: 'address', address: claim.address, channel: claim.channel }, preferencePageUrl: null, locale: null };
    }
    return { kind: 'refused', problem: 'tampered' };
  }

  /** One event per notification: following the link again, or both the link and the one-click post, is a duplicate. */
  private async markNotification(notificationId: string, channel: Channel, what: string): Promise<void> {
    await this.events.execute([
      {
        provider: 'herald',
        eventId: `unsubscribe:${notificationId}`,
        notificationId,
        providerMessageId: null,
        channel,
        type: 'unsubscribed',
        permanent: false,
        address: null,
        occurredAt: new Date(),
        detail: `unsubscribe link: ${what}`,
      },
    ]);
  }
}

/** For the notification's history, which is read by operators: English, whatever the page's language. */
function describe(from: UnsubscribedFrom): string {
  switch (from.kind) {
    case 'category':
      return `"${from.category}" messages by ${from.channel}`;
    case 'channel':
      return `all non-essential messages by ${from.channel}`;
    case 'address':
      return `all non-essential messages to ${from.address}`;
  }
}
