import { Module } from '@nestjs/common';
import { ApiKeyStore } from '../../domain/ports/api-key-store.port';
import { RateLimitCounters } from '../../domain/ports/rate-limit-counters.port';
import { ApiKeyTypeormRepository } from './api-key.typeorm-repository';
import { RateLimitCountersTypeormRepository } from './rate-limit-counters.typeorm-repository';

/** PostgreSQL binding for API keys and the per-key rate-limit counters. */
@Module({
  providers: [
    { provide: ApiKeyStore, useClass: ApiKeyTypeormRepository },
    { provide: RateLimitCounters, useClass: RateLimitCountersTypeormRepository },
  ],
  exports: [ApiKeyStore, RateLimitCounters],
})
export class AccessPersistenceModule {}
