import { Module } from '@nestjs/common';
import { AuditLog } from '../../domain/ports/audit-log.port';
import { AuditLogTypeormRepository } from './audit-log.typeorm-repository';

/** PostgreSQL binding for the audit log of admin actions. */
@Module({
  providers: [{ provide: AuditLog, useClass: AuditLogTypeormRepository }],
  exports: [AuditLog],
})
export class AuditPersistenceModule {}
