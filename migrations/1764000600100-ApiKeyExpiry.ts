import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * API key management (`/v1/api-keys`, docs/security.md): an optional expiry, and the secret's last four characters
 * so that a listing can tell keys apart without showing them (null for keys created before).
 */
export class ApiKeyExpiry1764000600100 implements MigrationInterface {
  name = 'ApiKeyExpiry1764000600100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE api_keys ADD COLUMN expires_at timestamptz, ADD COLUMN key_last4 text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE api_keys DROP COLUMN key_last4, DROP COLUMN expires_at`);
  }
}
