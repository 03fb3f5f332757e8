import { Module } from '@nestjs/common';
import { ApiKeyStore } from '../../domain/ports/api-key-store.port';
import { AuditLog } from '../../domain/ports/audit-log.port';
import { RateLimitCounters } from '../../domain/ports/rate-limit-counters.port';
import { ApiKeyTypeormRepository } from './api-key.typeorm-repository';
import { AuditLogTypeormRepository } from './audit-log.typeorm-repository';
import { RateLimitCountersTypeormRepository } from './rate-limit-counters.typeorm-repository';

/** PostgreSQL binding for API keys, the per-key rate-limit counters and the audit log of admin actions. */
@Module({
  providers: [
    { provide: ApiKeyStore, useClass: ApiKeyTypeormRepository },
    { provide: RateLimitCounters, useClass: RateLimitCountersTypeormRepository },
    { provide: AuditLog, useClass: AuditLogTypeormRepository },
  ],
  exports: [ApiKeyStore, RateLimitCounters, AuditLog],
})
export class AccessPersistenceModule {}
