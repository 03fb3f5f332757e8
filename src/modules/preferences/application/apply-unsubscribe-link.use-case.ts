import { Injectable } from '@nestjs/common';
import type { LinkClaim } from '../../../domain/preferences/signed-link';
import type { Channel } from '../../../domain/notification/channel';
import { PreferenceStore } from '../../../domain/ports/preference-store.port';
import { RecordDeliveryEvents } from '../../delivery-tracking/application/record-delivery-events';
import { PreferenceLinks } from './preference-links';

export type UnsubscribeOutcome =
  | { kind: 'unsubscribed'; what: string; preferencePageUrl: string | null }
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
  ) {}

  async execute(input: { token: string | undefined }): Promise<UnsubscribeOutcome> {
    const check = this.links.verify(input.token);
    if (!check.valid) return { kind: 'refused', problem: check.problem };
    const claim = check.claim;
    if (claim.purpose !== 'unsubscribe') return { kind: 'refused', problem: 'tampered' };
    const outcome = await this.applyPreference(claim);
    if (outcome.kind === 'unsubscribed' && claim.notificationId) await this.markNotification(claim.notificationId, claim.channel, outcome.what);
    return outcome;
  }

  private async applyPreference(claim: Extract<LinkClaim, { purpose: 'unsubscribe' }>): Promise<UnsubscribeOutcome> {
    if (claim.userId) {
      const page = this.links.preferencePageUrl(claim.userId).url;
      if (claim.category) {
        await this.store.setCategoryChannel(claim.userId, claim.category, claim.channel, false);
        return { kind: 'unsubscribed', what: `"${claim.category}" messages by ${claim.channel}`, preferencePageUrl: page };
      }
      await this.store.optOutChannel(claim.userId, claim.channel, 'unsubscribe-link');
      return { kind: 'unsubscribed', what: `all non-essential messages by ${claim.channel}`, preferencePageUrl: page };
    }
    if (claim.address) {
      await this.store.optOutAddress(claim.channel, claim.address, 'unsubscribe-link');
      return { kind: 'unsubscribed', what: `all non-essential messages to ${claim.address}`, preferencePageUrl: null };
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
