import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Engagement analytics (`GET /v1/analytics/engagement`, docs/observability.md).
 * - `notifications.template`: the template a notification was rendered from, to group by it. Null for literal
 *   content and for notifications accepted before this migration.
 * - `notifications_created`: the report takes the notifications created in a window, so it range-scans this index
 *   instead of the whole table, then reads each one's history through `notification_status_history_notification`
 *   (notification_id, id). The index holds `created_at` only, which is never updated: covering columns such as
 *   `status` or `provider` would change on every send and turn the in-place (heap-only) updates of the send path
 *   into index writes (migration SendPathWrites). No index is added to the history table, written at every change.
 */
export class EngagementAnalytics1764000100000 implements MigrationInterface {
  name = 'EngagementAnalytics1764000100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE notifications ADD COLUMN template text`);
    await q.query(`CREATE INDEX notifications_created ON notifications (created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX notifications_created`);
    await q.query(`ALTER TABLE notifications DROP COLUMN template`);
  }
}
