import { Module } from '@nestjs/common';
import { BreakerRegistry } from '../../domain/ports/breaker-registry.port';
import { ProviderAttemptStats } from '../../domain/ports/provider-attempt-stats.port';
import { BreakerRegistryTypeormRepository } from './breaker-registry.typeorm-repository';
import { ProviderAttemptStatsTypeormRepository } from './provider-attempt-stats.typeorm-repository';

/** PostgreSQL binding for provider health: the breaker states workers report, and figures of the recorded attempts. */
@Module({
  providers: [
    { provide: BreakerRegistry, useClass: BreakerRegistryTypeormRepository },
    { provide: ProviderAttemptStats, useClass: ProviderAttemptStatsTypeormRepository },
  ],
  exports: [BreakerRegistry, ProviderAttemptStats],
})
export class ProviderHealthPersistenceModule {}
