import { Injectable } from '@nestjs/common';
import { DELIVERABLE_CHANNELS, type Channel } from '../../../domain/notification/channel';
import type { Recipient } from '../../../domain/notification/notification-request';
import { decidePreference, emptyPreferences, hasAddressFor } from '../../../domain/preferences/preference-policy';
import { PreferenceStore } from '../../../domain/ports/preference-store.port';
import { RecipientDirectory } from '../../../domain/ports/recipient-directory.port';

export interface ChannelQuestion {
  recipient: Recipient;
  category: string | null;
  /** Channels the content or template offers; null when any. */
  offered: Channel[] | null;
}

/**
 * For requests that name no channel: every enabled channel the category allows, the user has not
 * turned off, and the recipient has an address for. One round trip per kind of data for the whole batch.
 */
@Injectable()
export class ResolveChannels {
  constructor(
    private readonly store: PreferenceStore,
    private readonly directory: RecipientDirectory,
  ) {}

  async execute(questions: ChannelQuestion[]): Promise<Channel[][]> {
    if (questions.length === 0) return [];
    const userIds = [...new Set(questions.map((q) => q.recipient.userId).filter((u): u is string => Boolean(u)))];
    const categoryNames = [...new Set(questions.map((q) => q.category).filter((c): c is string => c !== null))];
    const [profiles, prefs, categories] = await Promise.all([
      this.directory.getMany(userIds),
      this.store.getPreferences(userIds),
      this.store.getCategories(categoryNames),
    ]);
    return questions.map((q) => {
      const userId = q.recipient.userId;
      const profile = userId ? (profiles.get(userId) ?? null) : null;
      const userPrefs = (userId && prefs.get(userId)) || emptyPreferences(userId ?? 'recipient');
      const category = q.category ? (categories.get(q.category) ?? null) : null;
      return DELIVERABLE_CHANNELS.filter(
        (channel) =>
          (q.offered === null || q.offered.includes(channel)) &&
          hasAddressFor(channel, q.recipient, profile) &&
          decidePreference(q.category, category, userPrefs, channel).allowed,
      );
    });
  }
}
