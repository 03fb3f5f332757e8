import { Module } from '@nestjs/common';
import { ProviderHealthPersistenceModule } from '../../infrastructure/typeorm/provider-health-persistence.module';
import { GetProviderHealth } from './application/get-provider-health.use-case';

const USE_CASES = [GetProviderHealth];

/** Provider health over the deployment: circuit breakers as the workers report them, and the recent attempts. */
@Module({ imports: [ProviderHealthPersistenceModule], providers: USE_CASES, exports: USE_CASES })
export class ProviderHealthModule {}
