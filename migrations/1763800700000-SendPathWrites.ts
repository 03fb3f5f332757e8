import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Fewer index writes per send (docs/performance.md).
 * - `notifications_status_updated` serves the look-ups by status (stranded queued ones, due scheduled ones,
 *   the failed listing, unknown outcomes); it no longer takes an entry for every notification that reaches
 *   a settled, delivered status, which is nearly all of them.
 * - Room on each page (fill factor 85) so that the attempt-start update, which touches no indexed column,
 *   can stay on its page as a heap-only update with no index writes.
 * - Attempts and per-destination sends are only written from their notification's row (the attempt from
 *   the RETURNING of the update that starts it, the destination send with the outcome of that attempt),
 *   and nothing deletes notifications or attempts; their foreign-key triggers checked and locked the
 *   notification again for every row.
 */
export class SendPathWrites1763800700000 implements MigrationInterface {
  name = 'SendPathWrites1763800700000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX notifications_status_updated`);
    await q.query(
      `CREATE INDEX notifications_status_updated ON notifications (status, updated_at)
       WHERE status IN ('scheduled', 'queued', 'sending', 'failed', 'unknown')`,
    );
    await q.query(`ALTER TABLE notifications SET (fillfactor = 85)`);
    await q.query(`ALTER TABLE notification_attempts DROP CONSTRAINT notification_attempts_notification_id_fkey`);
    await q.query(`ALTER TABLE notification_destination_sends DROP CONSTRAINT notification_destination_sends_notification_id_fkey`);
    await q.query(`ALTER TABLE notification_destination_sends DROP CONSTRAINT notification_destination_sends_attempt_id_fkey`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE notification_destination_sends ADD CONSTRAINT notification_destination_sends_attempt_id_fkey FOREIGN KEY (attempt_id) REFERENCES notification_attempts(id)`,
    );
    await q.query(
      `ALTER TABLE notification_destination_sends ADD CONSTRAINT notification_destination_sends_notification_id_fkey FOREIGN KEY (notification_id) REFERENCES notifications(id)`,
    );
    await q.query(
      `ALTER TABLE notification_attempts ADD CONSTRAINT notification_attempts_notification_id_fkey FOREIGN KEY (notification_id) REFERENCES notifications(id)`,
    );
    await q.query(`ALTER TABLE notifications RESET (fillfactor)`);
    await q.query(`DROP INDEX notifications_status_updated`);
    await q.query(`CREATE INDEX notifications_status_updated ON notifications (status, updated_at)`);
  }
}
