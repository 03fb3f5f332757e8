import type { DynamicModule, Type } from '@nestjs/common';
import { workerChannels, type Role } from '../infrastructure/config/roles';
import { AccessModule } from '../modules/access/access.module';
import { AnalyticsModule } from '../modules/analytics/analytics.module';
import { DeadLettersModule } from '../modules/dead-letters/dead-letters.module';
import { DeliveryTrackingModule } from '../modules/delivery-tracking/delivery-tracking.module';
import { DispatchModule } from '../modules/dispatch/dispatch.module';
import { EventSourcesModule } from '../modules/event-sources/event-sources.module';
import { InboxModule } from '../modules/inbox/inbox.module';
import { IngestionModule } from '../modules/ingestion/ingestion.module';
import { PreferencesModule } from '../modules/preferences/preferences.module';
import { ProviderHealthModule } from '../modules/provider-health/provider-health.module';
import { RecipientsModule } from '../modules/recipients/recipients.module';
import { ReconciliationModule } from '../modules/reconciliation/reconciliation.module';
import { ScheduledSendsModule } from '../modules/scheduled-sends/scheduled-sends.module';
import { TemplatesModule } from '../modules/templates/templates.module';
import { TopicsModule } from '../modules/topics/topics.module';
import { WorkflowsModule } from '../modules/workflows/workflows.module';
import { ApiRoleModule } from './api/api-role.module';
import { IntakeRoleModule } from './intake/intake-role.module';
import { RelayRoleModule } from './relay/relay-role.module';
import { SchedulerRoleModule } from './scheduler/scheduler-role.module';
import { StreamRoleModule } from './stream/stream-role.module';
import { WorkerRoleModule } from './worker/worker-role.module';

/** Every process holds the same services and repositories, whichever roles it runs (one app, or split by role). */
export const DOMAIN_MODULES: Type[] = [
  AccessModule,
  IngestionModule,
  DispatchModule,
  ReconciliationModule,
  InboxModule,
  RecipientsModule,
  PreferencesModule,
  TemplatesModule,
  TopicsModule,
  DeadLettersModule,
  ScheduledSendsModule,
  DeliveryTrackingModule,
  EventSourcesModule,
  AnalyticsModule,
  ProviderHealthModule,
  WorkflowsModule,
];

/** The roles differ only by what they add on top: controllers, queue consumers and loops. */
export function roleModules(roles: readonly Role[]): Array<Type | DynamicModule> {
  const channels = workerChannels(roles);
  return [
    ...(roles.includes('api') ? [ApiRoleModule] : []),
    ...(roles.includes('relay') ? [RelayRoleModule] : []),
    ...(channels.length > 0 ? [WorkerRoleModule.forChannels(channels)] : []),
    ...(roles.includes('scheduler') ? [SchedulerRoleModule] : []),
    ...(roles.includes('stream') ? [StreamRoleModule] : []),
    ...(roles.includes('intake') ? [IntakeRoleModule] : []),
  ];
}
