import { Module } from '@nestjs/common';
import { MetricsModule } from '../../infrastructure/metrics/metrics.module';
import { SqsInfrastructureModule } from '../../infrastructure/sqs/sqs.module';
import { DeliveryPersistenceModule } from '../../infrastructure/typeorm/delivery-persistence.module';
import { NotificationsPersistenceModule } from '../../infrastructure/typeorm/notifications-persistence.module';
import { DispatchModule } from '../dispatch/dispatch.module';
import { PurgeIdempotencyKeys } from './application/purge-idempotency-keys.use-case';
import { RecoverExpiredLeases } from './application/recover-expired-leases.use-case';
import { RepublishStuckOutbox } from './application/republish-stuck-outbox.use-case';
import { RequeueStrandedNotifications } from './application/requeue-stranded-notifications.use-case';

const USE_CASES = [RecoverExpiredLeases, RepublishStuckOutbox, RequeueStrandedNotifications, PurgeIdempotencyKeys];

/** Finds and settles anything stuck: expired leases, outbox rows not published, stranded notifications, old idempotency keys. */
@Module({
  imports: [DispatchModule, DeliveryPersistenceModule, NotificationsPersistenceModule, SqsInfrastructureModule, MetricsModule],
  providers: USE_CASES,
  exports: USE_CASES,
})
export class ReconciliationModule {}
