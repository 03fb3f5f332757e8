import { Module, type DynamicModule } from '@nestjs/common';
import { DELIVERY_EVENT_SOURCE_PROVIDERS } from '../../infrastructure/providers/provider-registry';
import { SuppressionsController } from './api/suppressions.controller';
import { TrackingController } from './api/tracking.controller';
import { WebhooksController } from './api/webhooks.controller';
import { RecordTrackingHit } from './application/record-tracking-hit.use-case';
import { AddSuppression, ListSuppressions, RemoveSuppression } from './application/manage-suppressions.use-case';
import { ReceiveDeliveryEvents } from './application/receive-delivery-events.use-case';

const USE_CASES = [ReceiveDeliveryEvents, ListSuppressions, AddSuppression, RemoveSuppression, RecordTrackingHit];

/**
 * Provider delivery events (webhooks, signatures verified) moving notifications forward, and the
 * suppression list they feed. The suppression gate itself runs in the dispatch module. Controllers
 * only in the api role.
 */
@Module({})
export class DeliveryTrackingModule {
  static register(options: { http: boolean }): DynamicModule {
    return {
      module: DeliveryTrackingModule,
      controllers: options.http ? [WebhooksController, SuppressionsController, TrackingController] : [],
      providers: [...USE_CASES, ...DELIVERY_EVENT_SOURCE_PROVIDERS],
      exports: USE_CASES,
    };
  }
}
