import type { Channel } from '../notification/channel';
import type { RecipientProfile } from '../recipient/recipient-profile';

/** A declared kind of notification that users can turn on or off per channel. */
export interface Category {
  name: string;
  description: string;
  /** Security alerts and the like: sent whatever the user's opt-outs say (an invalid address still fails). */
  critical: boolean;
  /** Whether each channel is on for users who said nothing; a channel not listed is on. */
  channelDefaults: Partial<Record<Channel, boolean>>;
}

/** What one user chose. */
export interface UserPreferences {
  userId: string;
  /** category -> channel -> on/off; absent means the category's default. */
  categories: Record<string, Partial<Record<Channel, boolean>>>;
  /** Channels the user turned off for every non-critical category. */
  optedOutChannels: Channel[];
}

export type PreferenceVerdict = { allowed: true } | { allowed: false; reason: string };

export function emptyPreferences(userId: string): UserPreferences {
  return { userId, categories: {}, optedOutChannels: [] };
}

/**
 * Whether a notification of `categoryName` may go to this user on `channel`. Undeclared categories
 * (and notifications without one) are non-critical and on by default.
 */
export function decidePreference(
  categoryName: string | null,
  category: Category | null,
  prefs: UserPreferences,
  channel: Channel,
): PreferenceVerdict {
  if (category?.critical) return { allowed: true };
  if (prefs.optedOutChannels.includes(channel)) {
    return { allowed: false, reason: `preferences: user ${prefs.userId} opted out of ${channel}` };
  }
  if (categoryName === null) return { allowed: true };
  const chosen = prefs.categories[categoryName]?.[channel];
  if (chosen === false) {
    return { allowed: false, reason: `preferences: user ${prefs.userId} turned off ${channel} for category "${categoryName}"` };
  }
  if (chosen === undefined && category?.channelDefaults[channel] === false) {
    return { allowed: false, reason: `preferences: category "${categoryName}" is off by default on ${channel} and user ${prefs.userId} did not turn it on` };
  }
  return { allowed: true };
}

/** Whether the profile (or the request's direct address) gives somewhere to send on this channel. */
export function hasAddressFor(channel: Channel, direct: { email?: string; phone?: string }, profile: RecipientProfile | null): boolean {
  switch (channel) {
    case 'email':
      return Boolean(direct.email ?? profile?.email);
    case 'sms':
      return Boolean(direct.phone ?? profile?.phone);
    case 'push':
      return Boolean(profile?.deviceTokens.some((t) => t.platform === 'fcm' || t.platform === 'apns'));
    case 'webpush':
      return Boolean(profile?.deviceTokens.some((t) => t.platform === 'webpush'));
    case 'chat':
      return Boolean(profile?.chatDestinations.some((d) => d.enabled));
    case 'inapp':
      return profile !== null;
  }
}
