import { Module, type DynamicModule } from '@nestjs/common';
import { ConfigModule } from './infrastructure/config/config.module';
import { MetricsModule } from './infrastructure/metrics/metrics.module';
import type { HeraldConfig } from './infrastructure/config/herald-config';
import { DynamoDbStreamsModule } from './infrastructure/dynamodb-streams/dynamodb-streams.module';
import { SqsInfrastructureModule } from './infrastructure/sqs/sqs.module';
import { DatabaseModule } from './infrastructure/typeorm/database.module';
import { AccessModule } from './modules/access/access.module';
import { DeadLettersModule } from './modules/dead-letters/dead-letters.module';
import { SchedulingModule } from './modules/scheduling/scheduling.module';
import { DeliveryTrackingModule } from './modules/delivery-tracking/delivery-tracking.module';
import { DispatchModule } from './modules/dispatch/dispatch.module';
import { EventSourcesModule } from './modules/event-sources/event-sources.module';
import { HealthModule } from './modules/health/health.module';
import { IngestionModule } from './modules/ingestion/ingestion.module';
import { InboxModule } from './modules/inbox/inbox.module';
import { ReconciliationModule } from './modules/reconciliation/reconciliation.module';
import { TemplatesInfrastructureModule } from './infrastructure/templates/templates-infrastructure.module';
import { PreferencesApiModule } from './modules/preferences/preferences-api.module';
import { RecipientsModule } from './modules/recipients/recipients.module';
import { TemplatesModule } from './modules/templates/templates.module';
import { TopicsModule } from './modules/topics/topics.module';
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
        InboxModule.register({ http: api }),
        TemplatesInfrastructureModule,
        RecipientsModule.register({ http: api }),
        ...(api ? [PreferencesApiModule] : []),
        TemplatesModule.register({ http: api }),
        TopicsModule.forRoles(config.roles),
        DeadLettersModule.register({ http: api }),
        SchedulingModule.register({ http: api }),
        DeliveryTrackingModule.register({ http: api }),
        DynamoDbStreamsModule,
        EventSourcesModule.forRoles(config.roles),
        MetricsModule.forRoles(config.roles),
        ObservabilityModule,
      ],
    };
  }
}
