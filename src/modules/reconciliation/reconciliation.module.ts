import { Module, type DynamicModule } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import type { Role } from '../../infrastructure/config/roles';
import { DispatchModule } from '../dispatch/dispatch.module';
import { ReleaseDueNotifications } from '../scheduling/application/release-due-notifications.use-case';
import { WebhookPoster } from '../../domain/ports/status-feed.port';
import { WebhookPosterHttp } from '../../infrastructure/webhooks/webhook-poster.http';
import { DeliverStatusWebhooks } from '../delivery-tracking/application/deliver-status-webhooks.use-case';
import { PurgeIdempotencyKeys } from './application/purge-idempotency-keys.use-case';
import { RecoverExpiredLeases } from './application/recover-expired-leases.use-case';
import { RepublishStuckOutbox } from './application/republish-stuck-outbox.use-case';
import { RequeueStrandedNotifications } from './application/requeue-stranded-notifications.use-case';
import { ReconciliationScheduler } from './consumers/reconciliation.scheduler';

const JOBS = [RecoverExpiredLeases, RepublishStuckOutbox, RequeueStrandedNotifications, PurgeIdempotencyKeys, ReleaseDueNotifications, DeliverStatusWebhooks];

/** Finds and settles anything stuck. The jobs run in the scheduler role. */
@Module({})
export class ReconciliationModule {
  static forRoles(roles: readonly Role[]): DynamicModule {
    const scheduled = roles.includes('scheduler');
    return {
      module: ReconciliationModule,
      imports: [DispatchModule.forRoles(roles), ...(scheduled ? [ScheduleModule.forRoot()] : [])],
      providers: [...JOBS, { provide: WebhookPoster, useClass: WebhookPosterHttp }, ...(scheduled ? [ReconciliationScheduler] : [])],
      exports: JOBS,
    };
  }
}
