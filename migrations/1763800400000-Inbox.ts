import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The in-app channel: each user's inbox. One item per notification. */
export class Inbox1763800400000 implements MigrationInterface {
  name = 'Inbox1763800400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE inbox_items (
        id uuid PRIMARY KEY,
        user_id text NOT NULL,
        notification_id uuid NOT NULL UNIQUE REFERENCES notifications(id),
        title text NOT NULL,
        body text NOT NULL,
        action_url text,
        category text,
        created_at timestamptz NOT NULL DEFAULT now(),
        read_at timestamptz,
        archived_at timestamptz
      )`);
    // Ids are time-ordered (UUID v7): pages are read newest first by id; the unread count uses the partial index.
    await q.query(`CREATE INDEX inbox_items_user_page ON inbox_items (user_id, id DESC)`);
    await q.query(`CREATE INDEX inbox_items_user_unread ON inbox_items (user_id) WHERE read_at IS NULL AND archived_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE inbox_items`);
  }
}
