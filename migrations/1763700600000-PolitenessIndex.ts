import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Politeness limits count what was sent to one recipient in a category over a window. */
export class PolitenessIndex1763700600000 implements MigrationInterface {
  name = 'PolitenessIndex1763700600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX notifications_recipient_sent ON notifications (recipient_key, category, sent_at) WHERE sent_at IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX notifications_recipient_sent`);
  }
}
