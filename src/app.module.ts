import { Module, type DynamicModule } from '@nestjs/common';
import { ConfigModule } from './infrastructure/config/config.module';
import { MetricsModule } from './infrastructure/metrics/metrics.module';
import type { HeraldConfig } from './infrastructure/config/herald-config';
import { SqsInfrastructureModule } from './infrastructure/sqs/sqs.module';
import { DatabaseModule } from './infrastructure/typeorm/database.module';
import { AccessModule } from './modules/access/access.module';
import { DispatchModule } from './modules/dispatch/dispatch.module';
import { HealthModule } from './modules/health/health.module';
import { IngestionModule } from './modules/ingestion/ingestion.module';
import { ReconciliationModule } from './modules/reconciliation/reconciliation.module';
import { ObservabilityModule } from './modules/observability/observability.module';

/**
 * One root module for every deployment shape: the same services and repositories everywhere;
 * the roles decide which controllers, consumers and loops are started.
 */
@Module({})
export class AppModule {
  static forConfig(config: HeraldConfig): DynamicModule {
    const api = config.roles.includes('api');
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule,
        SqsInfrastructureModule,
        AccessModule.register({ http: true }),
        HealthModule,
        IngestionModule.register({ http: api }),
        DispatchModule.forRoles(config.roles),
        ReconciliationModule.forRoles(config.roles),
        MetricsModule.forRoles(config.roles),
        ObservabilityModule,
      ],
    };
  }
}
