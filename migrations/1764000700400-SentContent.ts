import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A notification's content as sent, for reading back (`GET /v1/notifications/:id/content`, docs/console.md).
 * - `sent_content`: what the last attempt handed to the provider, as JSON text, sealed with the data key when
 *   DATA_ENCRYPTION_KEYS is set (docs/security.md); written by the update that records the attempt's outcome.
 * - `template_version`, `template_locale`: the template version and the locale its variant came from, written
 *   when the notification is accepted (templates are rendered then).
 * Nullable with no default: adding them rewrites no row.
 */
export class SentContent1764000700400 implements MigrationInterface {
  name = 'SentContent1764000700400';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE notifications ADD COLUMN sent_content text, ADD COLUMN template_version integer, ADD COLUMN template_locale text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE notifications DROP COLUMN sent_content, DROP COLUMN template_version, DROP COLUMN template_locale`);
  }
}
