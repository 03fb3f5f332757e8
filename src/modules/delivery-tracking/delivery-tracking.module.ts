import { AuditPersistenceModule } from '../../infrastructure/typeorm/audit-persistence.module';
import { Module } from '@nestjs/common';
import { MetricsModule } from '../../infrastructure/metrics/metrics.module';
import { DeliveryPersistenceModule } from '../../infrastructure/typeorm/delivery-persistence.module';
import { NotificationsPersistenceModule } from '../../infrastructure/typeorm/notifications-persistence.module';
import { WebhooksModule } from '../../infrastructure/webhooks/webhooks.module';
import { DeliverStatusWebhooks } from './application/deliver-status-webhooks.use-case';
import { DELIVERY_EVENT_SOURCE_PROVIDERS } from '../../infrastructure/providers/provider-registry';
import { RecordTrackingHit } from './application/record-tracking-hit.use-case';
import { AddSuppression, ListSuppressions, RemoveSuppression } from './application/manage-suppressions.use-case';
import { ReceiveDeliveryEvents } from './application/receive-delivery-events.use-case';
import { RecordDeliveryEvents } from './application/record-delivery-events';

const USE_CASES = [RecordDeliveryEvents, ReceiveDeliveryEvents, ListSuppressions, AddSuppression, RemoveSuppression, RecordTrackingHit, DeliverStatusWebhooks];

/**
 * Provider delivery events (webhooks, signatures verified) moving notifications forward, the suppression list
 * they feed, and status webhooks to customers. The suppression gate itself runs in the dispatch module.
 */
@Module({
  imports: [DeliveryPersistenceModule, AuditPersistenceModule, NotificationsPersistenceModule, WebhooksModule, MetricsModule],
  providers: [...USE_CASES, ...DELIVERY_EVENT_SOURCE_PROVIDERS],
  exports: USE_CASES,
})
export class DeliveryTrackingModule {}
