import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { newId } from '../../domain/notification/ids';
import { Inbox, type InboxItem, type InboxPage, type NewInboxItem } from '../../domain/ports/inbox.port';

/** The channel Postgres announces new inbox items on (payload: {"userId","id"}). */
export const INBOX_CHANNEL = 'herald_inbox';

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
    archivedAt: r.archived_at ? new Date(r.archived_at) : null,
  };
}

@Injectable()
export class InboxTypeormRepository extends Inbox {
  constructor(@InjectDataSource() private readonly db: DataSource) {
    super();
  }

  async deliver(item: NewInboxItem): Promise<InboxItem> {
    // The notification is announced in the same statement, so listeners hear of it exactly when it is committed.
    const rows: Row[] = await this.db.query(
      `WITH ins AS (
         INSERT INTO inbox_items (id, user_id, notification_id, title, body, action_url, category)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
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
    return toInboxItem(rows[0]);
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

  async markRead(userId: string, itemIds: string[]): Promise<number> {
    return this.touch(`read_at = coalesce(read_at, now())`, userId, itemIds);
  }

  async archive(userId: string, itemIds: string[]): Promise<number> {
    return this.touch(`archived_at = coalesce(archived_at, now())`, userId, itemIds);
  }

  async markAllRead(userId: string): Promise<number> {
    const [, count] = (await this.db.query(`UPDATE inbox_items SET read_at = now() WHERE user_id = $1 AND read_at IS NULL`, [userId])) as [unknown, number];
    return count;
  }

  private async touch(assignment: string, userId: string, itemIds: string[]): Promise<number> {
    const ids = itemIds.filter((id) => UUID.test(id));
    if (ids.length === 0) return 0;
    const [, count] = (await this.db.query(`UPDATE inbox_items SET ${assignment} WHERE user_id = $1 AND id = ANY($2::uuid[])`, [userId, ids])) as [unknown, number];
    return count;
  }
}
