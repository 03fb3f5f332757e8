export interface InboxItem {
  id: string;
  userId: string;
  notificationId: string;
  title: string;
  body: string;
  actionUrl: string | null;
  category: string | null;
  createdAt: Date;
  readAt: Date | null;
  /** When the user's client showed it (a badge counts unseen items); reading an item also sees it. */
  seenAt: Date | null;
  archivedAt: Date | null;
  /**
   * The item's place among the user's items, in the order they were committed: each is greater than every
   * earlier one of the same user. Live streams use it as their event id, so that a reconnect resumes exactly.
   */
  sequence: number;
}

export type NewInboxItem = Omit<InboxItem, 'id' | 'createdAt' | 'readAt' | 'seenAt' | 'archivedAt' | 'sequence'>;

export interface InboxPage {
  items: InboxItem[];
  /** Pass back to get the next (older) page; null on the last page. */
  nextCursor: string | null;
  unreadCount: number;
}

/** Which items a user's listing shows: `all`, `unread` and `unseen` leave archived items out; `archived` shows only them. */
export const INBOX_FILTERS = ['all', 'unread', 'unseen', 'archived'] as const;
export type InboxFilter = (typeof INBOX_FILTERS)[number];

export interface InboxQuery {
  filter: InboxFilter;
  category: string | null;
  /** Only items with a smaller sequence (the next, older page); null from the newest. */
  beforeSequence: number | null;
  limit: number;
}

export interface InboxCounts {
  /** Unarchived items not read. */
  unread: number;
  /** Unarchived items not seen. */
  unseen: number;
}

/** What one item may be marked, and undone. */
export const INBOX_MARKS = ['read', 'unread', 'seen', 'archive', 'unarchive'] as const;
export type InboxMark = (typeof INBOX_MARKS)[number];
/** What every item of a user may be marked at once. */
export type InboxBulkMark = 'read' | 'seen' | 'archive';

/** The in-app channel's store: each user's inbox. */
export abstract class Inbox {
  /** Stores the item once per notification (a repeated delivery changes nothing) and announces it to live listeners. */
  abstract deliver(item: NewInboxItem): Promise<InboxItem>;
  /** Newest first; archived items are left out unless asked for. `cursor` comes from a previous page. */
  abstract list(userId: string, options: { cursor: string | null; limit: number; includeArchived: boolean }): Promise<InboxPage>;
  /** Newest first (by sequence); `nextBefore` is the sequence to pass as `beforeSequence` for the next page, null on the last. */
  abstract page(userId: string, query: InboxQuery): Promise<{ items: InboxItem[]; nextBefore: number | null }>;
  /** The user's items stored after `sequence`, oldest first, at most `limit`. */
  abstract after(userId: string, sequence: number, limit: number): Promise<InboxItem[]>;
  /** The greatest sequence of the user's items (0 without any): every item up to it is committed. */
  abstract latestSequence(userId: string): Promise<number>;
  abstract counts(userId: string): Promise<InboxCounts>;
  /** Whether the user has the item (marking it again as it already is counts, and changes nothing). Announces the change. */
  abstract mark(userId: string, itemId: string, mark: InboxMark): Promise<boolean>;
  /** Marks every unarchived item of the user; returns how many changed. Announces the change. */
  abstract markAll(userId: string, mark: InboxBulkMark): Promise<number>;
  /** Each returns how many of the named items exist (already-read or already-archived ones count). */
  abstract markRead(userId: string, itemIds: string[]): Promise<number>;
  /** Returns how many items were unread. */
  abstract markAllRead(userId: string): Promise<number>;
  abstract archive(userId: string, itemIds: string[]): Promise<number>;
}

/**
 * What a live listener hears of a user's inbox: a new item, marks that changed (counts may differ), or that the
 * feed lost its connection (what was committed meanwhile may never be heard; the listener is dropped).
 */
export type InboxFeedEvent = { kind: 'item'; item: InboxItem } | { kind: 'changed' } | { kind: 'lost' };

/** New inbox items and changes as they are committed, from any process (for live streams to users). */
export abstract class InboxFeed {
  /**
   * Calls `listener` with each event of the user, in commit order, until the returned function is called.
   * Resolves once listening: anything committed after that is heard.
   */
  abstract subscribe(userId: string, listener: (event: InboxFeedEvent) => void): Promise<() => void>;
}
