import { Injectable } from '@nestjs/common';
import { AuditLog, type AuditFilter, type AuditPosition, type AuditRecord } from '../../../domain/ports/audit-log.port';

/** Admin actions, newest first, a page at a time. */
@Injectable()
export class ListAuditLog {
  constructor(private readonly audit: AuditLog) {}

  execute(input: { filter: AuditFilter; limit: number; after: AuditPosition | null }): Promise<{ items: AuditRecord[]; next: AuditPosition | null }> {
    return this.audit.list(input.filter, input.limit, input.after);
  }
}
