import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { newId } from '../../domain/notification/ids';
import {
  Inbox,
  type InboxBulkMark,
  type InboxCounts,
  type InboxFilter,
  type InboxItem,
  type InboxMark,
  type InboxPage,
  type InboxQuery,
  type NewInboxItem,
} from '../../domain/ports/inbox.port';

/**
 * The channel Postgres announces inbox events on, to the streams of every api process: a new item
 * (`{"userId","id"}`) or changed marks (`{"userId","changed":true}`).
 */
export const INBOX_CHANNEL = 'herald_inbox';

/** The announcement of changed marks of user $1, for a statement's CTE. */
const ANNOUNCE_CHANGE = `pg_notify('${INBOX_CHANNEL}', json_build_object('userId', $1::text, 'changed', true)::text)`;

/** What each mark sets, and which items it would change (only those are written, and only a change is announced). */
const MARKS: Record<InboxMark, { set: string; changes: string }> = {
  read: { set: `read_at = coalesce(read_at, now()), seen_at = coalesce(seen_at, now())`, changes: `(read_at IS NULL OR seen_at IS NULL)` },
  unread: { set: `read_at = NULL`, changes: `read_at IS NOT NULL` },
  seen: { set: `seen_at = coalesce(seen_at, now())`, changes: `seen_at IS NULL` },
  archive: { set: `archived_at = coalesce(archived_at, now())`, changes: `archived_at IS NULL` },
  unarchive: { set: `archived_at = NULL`, changes: `archived_at IS NOT NULL` },
};

const BULK_MARKS: Record<InboxBulkMark, { set: string; which: string }> = {
  read: { set: MARKS.read.set, which: `archived_at IS NULL AND read_at IS NULL` },
  seen: { set: MARKS.seen.set, which: `archived_at IS NULL AND seen_at IS NULL` },
  archive: { set: MARKS.archive.set, which: `archived_at IS NULL` },
};

const FILTERS: Record<InboxFilter, string> = {
  all: `archived_at IS NULL`,
  unread: `archived_at IS NULL AND read_at IS NULL`,
  unseen: `archived_at IS NULL AND seen_at IS NULL`,
  archived: `archived_at IS NOT NULL`,
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type Row = Record<string, any>;

export function toInboxItem(r: Row): InboxItem {
  return {
    id: r.id,
    userId: r.user_id,
    notificationId: r.notification_id,
    title: r.title,
    body: r.body,
    actionUrl: r.action_url,
    category: r.category,
    createdAt: new Date(r.created_at),
    readAt: r.read_at ? new Date(r.read_at) : null,
    seenAt: r.seen_at ? new Date(r.seen_at) : null,
    archivedAt: r.archived_at ? new Date(r.archived_at) : null,
    sequence: Number(r.sequence),
  };
}

@Injectable()
export class InboxTypeormRepository extends Inbox {
  constructor(@InjectDataSource() private readonly db: DataSource) {
    super();
  }

  async deliver(item: NewInboxItem): Promise<InboxItem> {
    // The user's counter row is locked until commit, so the user's items commit in sequence order. A repeated
    // delivery takes no number. The item is announced in the same statement, so listeners hear of it exactly when
    // it is committed.
    const rows: Row[] = await this.db.query(
      `WITH seq AS (
         INSERT INTO inbox_sequences (user_id, last)
         SELECT $2, 1 WHERE NOT EXISTS (SELECT 1 FROM inbox_items WHERE notification_id = $3)
         ON CONFLICT (user_id) DO UPDATE SET last = inbox_sequences.last + 1
         RETURNING last
       ), ins AS (
         INSERT INTO inbox_items (id, user_id, notification_id, title, body, action_url, category, sequence)
         SELECT $1, $2, $3, $4, $5, $6, $7, seq.last FROM seq
         ON CONFLICT (notification_id) DO NOTHING
         RETURNING *
       ), announced AS (
         SELECT pg_notify('${INBOX_CHANNEL}', json_build_object('userId', user_id, 'id', id)::text) FROM ins
       )
       SELECT ins.*, (SELECT count(*) FROM announced) AS announced FROM ins
       UNION ALL
       SELECT i.*, 0 FROM inbox_items i WHERE i.notification_id = $3 AND NOT EXISTS (SELECT 1 FROM ins)`,
      [newId(), item.userId, item.notificationId, item.title, item.body, item.actionUrl, item.category],
    );
    if (rows[0]) return toInboxItem(rows[0]);
    // A concurrent delivery of the same notification committed while this statement waited: its snapshot did not see it.
    const stored: Row[] = await this.db.query(`SELECT * FROM inbox_items WHERE notification_id = $1`, [item.notificationId]);
    return toInboxItem(stored[0]);
  }

  async list(userId: string, options: { cursor: string | null; limit: number; includeArchived: boolean }): Promise<InboxPage> {
    const cursor = options.cursor && UUID.test(options.cursor) ? options.cursor : null;
    const [rows, unread] = await Promise.all([
      this.db.query(
        `SELECT * FROM inbox_items
         WHERE user_id = $1 AND ($2::uuid IS NULL OR id < $2::uuid) AND ($3 OR archived_at IS NULL)
         ORDER BY id DESC LIMIT $4`,
        [userId, cursor, options.includeArchived, options.limit + 1],
      ) as Promise<Row[]>,
      this.db.query(`SELECT count(*)::int AS n FROM inbox_items WHERE user_id = $1 AND read_at IS NULL AND archived_at IS NULL`, [userId]) as Promise<Row[]>,
    ]);
    const page = rows.slice(0, options.limit).map(toInboxItem);
    return { items: page, nextCursor: rows.length > options.limit ? page[page.length - 1].id : null, unreadCount: unread[0].n };
  }

  async page(userId: string, query: InboxQuery): Promise<{ items: InboxItem[]; nextBefore: number | null }> {
    const rows: Row[] = await this.db.query(
      `SELECT * FROM inbox_items
       WHERE user_id = $1 AND ($2::bigint IS NULL OR sequence < $2::bigint) AND ${FILTERS[query.filter]} AND ($3::text IS NULL OR category = $3::text)
       ORDER BY sequence DESC LIMIT $4`,
      [userId, query.beforeSequence, query.category, query.limit + 1],
    );
    const items = rows.slice(0, query.limit).map(toInboxItem);
    return { items, nextBefore: rows.length > query.limit ? items[items.length - 1].sequence : null };
  }

  async after(userId: string, sequence: number, limit: number): Promise<InboxItem[]> {
    const rows: Row[] = await this.db.query(`SELECT * FROM inbox_items WHERE user_id = $1 AND sequence > $2::bigint ORDER BY sequence LIMIT $3`, [userId, sequence, limit]);
    return rows.map(toInboxItem);
  }

  async latestSequence(userId: string): Promise<number> {
    const rows: Row[] = await this.db.query(`SELECT coalesce(max(sequence), 0) AS last FROM inbox_items WHERE user_id = $1`, [userId]);
    return Number(rows[0].last);
  }

  async counts(userId: string): Promise<InboxCounts> {
    const rows: Row[] = await this.db.query(
      `SELECT count(*) FILTER (WHERE read_at IS NULL)::int AS unread, count(*) FILTER (WHERE seen_at IS NULL)::int AS unseen
       FROM inbox_items WHERE user_id = $1 AND archived_at IS NULL AND (read_at IS NULL OR seen_at IS NULL)`,
      [userId],
    );
    return { unread: rows[0].unread, unseen: rows[0].unseen };
  }

  async mark(userId: string, itemId: string, mark: InboxMark): Promise<boolean> {
    if (!UUID.test(itemId)) return false;
    const { set, changes } = MARKS[mark];
    const rows: Row[] = await this.db.query(
      `WITH target AS (SELECT id FROM inbox_items WHERE user_id = $1 AND id = $2::uuid),
       upd AS (UPDATE inbox_items SET ${set} WHERE user_id = $1 AND id = $2::uuid AND ${changes} RETURNING id),
       announced AS (SELECT ${ANNOUNCE_CHANGE} FROM upd)
       SELECT (SELECT count(*) FROM target)::int AS found, (SELECT count(*) FROM announced)::int AS announced`,
      [userId, itemId],
    );
    return rows[0].found > 0;
  }

  async markAll(userId: string, mark: InboxBulkMark): Promise<number> {
    const { set, which } = BULK_MARKS[mark];
    return this.updateAnnounced(`UPDATE inbox_items SET ${set} WHERE user_id = $1 AND ${which} RETURNING id`, [userId]);
  }

  async markRead(userId: string, itemIds: string[]): Promise<number> {
    return this.touch(MARKS.read.set, userId, itemIds);
  }

  async archive(userId: string, itemIds: string[]): Promise<number> {
    return this.touch(MARKS.archive.set, userId, itemIds);
  }

  async markAllRead(userId: string): Promise<number> {
    return this.updateAnnounced(`UPDATE inbox_items SET ${MARKS.read.set} WHERE user_id = $1 AND read_at IS NULL RETURNING id`, [userId]);
  }

  private async touch(assignment: string, userId: string, itemIds: string[]): Promise<number> {
    const ids = itemIds.filter((id) => UUID.test(id));
    if (ids.length === 0) return 0;
    const rows: Row[] = await this.db.query(
      `WITH upd AS (UPDATE inbox_items SET ${assignment} WHERE user_id = $1 AND id = ANY($2::uuid[]) RETURNING id),
       announced AS (SELECT ${ANNOUNCE_CHANGE} WHERE EXISTS (SELECT 1 FROM upd))
       SELECT (SELECT count(*) FROM upd)::int AS n, (SELECT count(*) FROM announced)::int AS announced`,
      [userId, ids],
    );
    return rows[0].n;
  }

  /** Runs an UPDATE of user $1's items (with RETURNING) and announces the change once when it changed any; returns how many. */
  private async updateAnnounced(update: string, params: unknown[]): Promise<number> {
    const rows: Row[] = await this.db.query(
      `WITH upd AS (${update}), announced AS (SELECT ${ANNOUNCE_CHANGE} WHERE EXISTS (SELECT 1 FROM upd))
       SELECT (SELECT count(*) FROM upd)::int AS n, (SELECT count(*) FROM announced)::int AS announced`,
      params,
    );
    return rows[0].n;
  }
}
