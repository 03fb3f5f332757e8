import { Injectable } from '@nestjs/common';
import { PreferenceStore } from '../../../domain/ports/preference-store.port';
import { PreferenceLinks } from './preference-links';

export type UnsubscribeOutcome =
  | { kind: 'unsubscribed'; what: string; preferencePageUrl: string | null }
  | { kind: 'refused'; problem: 'tampered' | 'expired' };

/** Follows a signed unsubscribe link (visible link or RFC 8058 one-click POST): no login, idempotent. */
@Injectable()
export class ApplyUnsubscribeLink {
  constructor(
    private readonly links: PreferenceLinks,
    private readonly store: PreferenceStore,
  ) {}

  async execute(input: { token: string | undefined }): Promise<UnsubscribeOutcome> {
    const check = this.links.verify(input.token);
    if (!check.valid) return { kind: 'refused', problem: check.problem };
    const claim = check.claim;
    if (claim.purpose !== 'unsubscribe') return { kind: 'refused', problem: 'tampered' };
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
}
