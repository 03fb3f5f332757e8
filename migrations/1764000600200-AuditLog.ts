import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Admin actions (`GET /v1/audit-log`, docs/security.md): append-only, listed newest first and by action or key. */
export class AuditLog1764000600200 implements MigrationInterface {
  name = 'AuditLog1764000600200';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE audit_log (
        id uuid PRIMARY KEY,
        created_at timestamptz NOT NULL DEFAULT now(),
        key_id uuid,
        action text NOT NULL,
        target text NOT NULL,
        before jsonb,
        after jsonb
      )`);
    await q.query(`CREATE INDEX audit_log_created ON audit_log (created_at, id)`);
    await q.query(`CREATE INDEX audit_log_action ON audit_log (action, created_at, id)`);
    await q.query(`CREATE INDEX audit_log_key ON audit_log (key_id, created_at, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audit_log`);
  }
}
