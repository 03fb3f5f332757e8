import { Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { RateLimitCounters } from '../../domain/ports/rate-limit-counters.port';
import { HeraldConfig } from '../../infrastructure/config/herald-config';
import { ApiKeyThrottlerGuard } from './api/api-key-throttler.guard';
import { ApiKeyGuard } from './api/api-key.guard';
import { RateLimitThrottlerStorage } from './api/rate-limit.throttler-storage';
import { AuthenticateApiKey } from './application/authenticate-api-key.use-case';
import { CreateApiKey } from './application/create-api-key.use-case';
import { SeedBootstrapKey } from './application/seed-bootstrap-key';

/** API keys: creation, authentication, scopes and per-key rate limits. */
@Module({})
export class AccessModule {
  /** With `http`, every route is guarded; the CLI uses the module without it. */
  static register(options: { http: boolean }): DynamicModule {
    const base = { module: AccessModule, providers: [CreateApiKey, AuthenticateApiKey, SeedBootstrapKey], exports: [CreateApiKey, AuthenticateApiKey] };
    if (!options.http) return base;
    return {
      ...base,
      imports: [
        ThrottlerModule.forRootAsync({
          inject: [HeraldConfig, RateLimitCounters],
          useFactory: (config: HeraldConfig, counters: RateLimitCounters) => ({
            throttlers: [{ ttl: 60_000, limit: config.auth.rateLimitPerMinute }],
            storage: new RateLimitThrottlerStorage(counters),
            errorMessage: `Rate limit exceeded: ${config.auth.rateLimitPerMinute} requests per minute per API key, across all routes`,
          }),
        }),
      ],
      providers: [...base.providers, { provide: APP_GUARD, useClass: ApiKeyGuard }, { provide: APP_GUARD, useClass: ApiKeyThrottlerGuard }],
    };
  }
}
