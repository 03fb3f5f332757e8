import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Inboxes read from browsers: a seen mark (badges count unseen items), and a sequence per user in commit order,
 * so that a live stream's event id tells a reconnecting client exactly what it missed. Ids (UUID v7) are made
 * before the insert and two inserts may commit in the other order; the sequence is taken from a per-user counter
 * row whose lock is held until commit, so a user's items commit in sequence order.
 */
export class InboxUserAccess1764000700300 implements MigrationInterface {
  name = 'InboxUserAccess1764000700300';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE inbox_items ADD COLUMN seen_at timestamptz, ADD COLUMN sequence bigint`);
    await q.query(`UPDATE inbox_items SET seen_at = read_at WHERE read_at IS NOT NULL`);
    await q.query(`
      UPDATE inbox_items i SET sequence = s.n
      FROM (SELECT id, row_number() OVER (PARTITION BY user_id ORDER BY id) AS n FROM inbox_items) s
      WHERE i.id = s.id`);
    await q.query(`ALTER TABLE inbox_items ALTER COLUMN sequence SET NOT NULL`);
    await q.query(`CREATE UNIQUE INDEX inbox_items_user_sequence ON inbox_items (user_id, sequence)`);
    await q.query(`CREATE INDEX inbox_items_user_unseen ON inbox_items (user_id) WHERE seen_at IS NULL AND archived_at IS NULL`);
    await q.query(`CREATE TABLE inbox_sequences (user_id text PRIMARY KEY, last bigint NOT NULL)`);
    await q.query(`INSERT INTO inbox_sequences (user_id, last) SELECT user_id, max(sequence) FROM inbox_items GROUP BY user_id`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE inbox_sequences`);
    await q.query(`DROP INDEX inbox_items_user_unseen`);
    await q.query(`DROP INDEX inbox_items_user_sequence`);
    await q.query(`ALTER TABLE inbox_items DROP COLUMN sequence, DROP COLUMN seen_at`);
  }
}
