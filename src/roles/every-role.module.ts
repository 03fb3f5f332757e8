import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { RateLimitCounters } from '../domain/ports/rate-limit-counters.port';
import { HeraldConfig } from '../infrastructure/config/herald-config';
import { AccessPersistenceModule } from '../infrastructure/typeorm/access-persistence.module';
import { AccessModule } from '../modules/access/access.module';
import { ApiKeyThrottlerGuard, isUserTokenRequest } from '../modules/access/api/api-key-throttler.guard';
import { ApiKeyGuard } from '../modules/access/api/api-key.guard';
import { RateLimitThrottlerStorage } from '../modules/access/api/rate-limit.throttler-storage';
import { HealthModule } from '../modules/health/health.module';

/** What every role serves: health checks, and the API-key and per-key rate-limit guards in front of every route. */
@Module({
  imports: [
    AccessModule,
    HealthModule,
    ThrottlerModule.forRootAsync({
      imports: [AccessPersistenceModule],
      inject: [HeraldConfig, RateLimitCounters],
      useFactory: (config: HeraldConfig, counters: RateLimitCounters) => ({
        throttlers: [
          {
            ttl: 60_000,
            limit: (context) => (isUserTokenRequest(context) ? config.inboxAccess.requestsPerMinute : config.auth.rateLimitPerMinute),
          },
        ],
        storage: new RateLimitThrottlerStorage(counters),
        errorMessage: (context) =>
          isUserTokenRequest(context)
            ? `Rate limit exceeded: ${config.inboxAccess.requestsPerMinute} requests per minute per user, across the inbox routes`
            : `Rate limit exceeded: ${config.auth.rateLimitPerMinute} requests per minute per API key, across all routes`,
      }),
    }),
  ],
  providers: [
    { provide: APP_GUARD, useClass: ApiKeyGuard },
    { provide: APP_GUARD, useClass: ApiKeyThrottlerGuard },
  ],
})
export class EveryRoleModule {}
