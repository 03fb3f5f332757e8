import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { newId } from '../../domain/notification/ids';
import { AuditLog, type AuditEntry, type AuditFilter, type AuditPosition, type AuditRecord } from '../../domain/ports/audit-log.port';

/**
 * Writes one entry, on its own (the data source) or inside the transaction of the change it records (that
 * transaction's manager): the stores that record their own changes (`AuditOf`) write through here.
 */
export async function writeAuditEntry(db: Pick<EntityManager | DataSource, 'query'>, entry: AuditEntry): Promise<void> {
  await db.query(`INSERT INTO audit_log (id, key_id, action, target, before, after) VALUES ($1, $2, $3, $4, $5, $6)`, [
    newId(),
    entry.keyId,
    entry.action,
    entry.target,
    entry.before === null ? null : JSON.stringify(entry.before),
    entry.after === null ? null : JSON.stringify(entry.after),
  ]);
}

@Injectable()
export class AuditLogTypeormRepository extends AuditLog {
  constructor(@InjectDataSource() private readonly db: DataSource) {
    super();
  }

  record(entry: AuditEntry): Promise<void> {
    return writeAuditEntry(this.db, entry);
  }

  async list(filter: AuditFilter, limit: number, after: AuditPosition | null): Promise<{ items: AuditRecord[]; next: AuditPosition | null }> {
    const where: string[] = [];
    const params: unknown[] = [];
    const bind = (value: unknown, cast = ''): string => {
      params.push(value);
      return `$${params.length}${cast}`;
    };
    if (filter.action) where.push(`action = ${bind(filter.action)}`);
    if (filter.keyId) where.push(`key_id = ${bind(filter.keyId, '::uuid')}`);
    if (filter.from) where.push(`created_at >= ${bind(filter.from.toISOString(), '::timestamptz')}`);
    if (filter.to) where.push(`created_at < ${bind(filter.to.toISOString(), '::timestamptz')}`);
    if (after) where.push(`(created_at, id) < (${bind(after.createdAt, '::timestamptz')}, ${bind(after.id, '::uuid')})`);
    const rows: Array<Record<string, any>> = await this.db.query(
      `SELECT id, created_at, key_id, action, target, before, after,
              to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS position
       FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY created_at DESC, id DESC LIMIT ${bind(limit + 1)}`,
      params,
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map((r) => ({ id: r.id, at: r.created_at, keyId: r.key_id, action: r.action, target: r.target, before: r.before, after: r.after })),
      next: rows.length > limit ? { createdAt: last.position, id: last.id } : null,
    };
  }
}
