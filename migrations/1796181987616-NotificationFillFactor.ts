import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Half of each new page of `notifications` left free (fill factor 50, from 85; migration SendPathWrites). A send
 * writes the row three more times: the claim (a new version with index entries, as its status changes), the attempt
 * start (no indexed column changes) and the outcome. With the room for the claim's version and the start's on the
 * page the row was inserted in, the start is a heap-only update nearly always, with no index entries; at 85 or 70 it
 * was about half the time, and otherwise a new version with an entry in every index of the table
 * (docs/performance.md, "Fewer rows per notification"). Pages filled before keep the room they were filled with.
 */
export class NotificationFillFactor1796181987616 implements MigrationInterface {
  name = 'NotificationFillFactor1796181987616';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE notifications SET (fillfactor = 50)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE notifications SET (fillfactor = 85)`);
  }
}
