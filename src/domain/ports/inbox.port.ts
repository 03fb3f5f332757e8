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
  archivedAt: Date | null;
}

export type NewInboxItem = Omit<InboxItem, 'id' | 'createdAt' | 'readAt' | 'archivedAt'>;

export interface InboxPage {
  items: InboxItem[];
  /** Pass back to get the next (older) page; null on the last page. */
  nextCursor: string | null;
  unreadCount: number;
}

/** The in-app channel's store: each user's inbox. */
export abstract class Inbox {
  /** Stores the item once per notification (a repeated delivery changes nothing) and announces it to live listeners. */
  abstract deliver(item: NewInboxItem): Promise<InboxItem>;
  /** Newest first; archived items are left out unless asked for. `cursor` comes from a previous page. */
  abstract list(userId: string, options: { cursor: string | null; limit: number; includeArchived: boolean }): Promise<InboxPage>;
  /** Each returns how many of the named items exist (already-read or already-archived ones count). */
  abstract markRead(userId: string, itemIds: string[]): Promise<number>;
  /** Returns how many items were unread. */
  abstract markAllRead(userId: string): Promise<number>;
  abstract archive(userId: string, itemIds: string[]): Promise<number>;
}

/** New inbox items as they are stored, from any process (for live streams to users). */
export abstract class InboxFeed {
  /** Calls `listener` with each new item of the user until the returned function is called. Resolves once listening. */
  abstract subscribe(userId: string, listener: (item: InboxItem) => void): Promise<() => void>;
}
