import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A notification is only ever inserted with a request that exists: intake inserts it in the same statement as
 * its request, from that insert's RETURNING, and a topic fan-out's notifications name the fan-out's committed
 * request; nothing deletes requests. The foreign key's trigger still ran a look-up and took a row lock on the
 * request for every notification accepted, a lock that is also one more WAL record per notification
 * (docs/performance.md, "Fewer rows per notification"). The index on `request_id` stays.
 */
export class IntakeForeignKeys1764000790000 implements MigrationInterface {
  name = 'IntakeForeignKeys1764000790000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE notifications DROP CONSTRAINT notifications_request_id_fkey`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE notifications ADD CONSTRAINT notifications_request_id_fkey FOREIGN KEY (request_id) REFERENCES notification_requests(id)`);
  }
}
