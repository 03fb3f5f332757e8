import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Recipients1763700100000 implements MigrationInterface {
  name = 'Recipients1763700100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE recipients (
        user_id text PRIMARY KEY,
        email text,
        phone text,
        locale text,
        timezone text,
        device_tokens jsonb NOT NULL DEFAULT '[]'::jsonb,
        chat_destinations jsonb NOT NULL DEFAULT '[]'::jsonb,
        attributes jsonb NOT NULL DEFAULT '{}'::jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE recipients`);
  }
}
