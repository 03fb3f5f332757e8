/** One item of a user's inbox, as Herald's /v1/inbox API answers it. */
export interface InboxItem {
  id: string;
  userId: string;
  notificationId: string;
  title: string;
  body: string;
  actionUrl: string | null;
  category: string | null;
  createdAt: string;
  readAt: string | null;
  seenAt: string | null;
  archivedAt: string | null;
}

export interface InboxPage {
  items: InboxItem[];
  nextCursor: string | null;
}

export interface InboxCounts {
  unread: number;
  unseen: number;
}

export interface EffectiveCategory {
  name: string;
  description: string;
  critical: boolean;
  channels: Record<string, boolean>;
}

export interface InboxPreferences {
  userId: string;
  categories: Record<string, Record<string, boolean>>;
  optedOutChannels: string[];
  effective: EffectiveCategory[];
}

/**
 * Returns a fresh user token, from your own backend (which mints it with `createInboxToken` or
 * POST /v1/inbox/tokens). It may answer the token alone or with its expiry.
 */
export type TokenProvider = () => Promise<string | { token: string; expiresAt?: string | number | Date }>;
