import { Module, type DynamicModule } from '@nestjs/common';
import { SnsEndpoint } from '../../domain/ports/sns-endpoint.port';
import { SnsEndpointHttp } from '../../infrastructure/webhooks/sns-endpoint.http';
import { SuppressionsController } from './api/suppressions.controller';
import { TrackingController } from './api/tracking.controller';
import { WebhooksController } from './api/webhooks.controller';
import { RecordTrackingHit } from './application/record-tracking-hit.use-case';
import { AddSuppression, ListSuppressions, RemoveSuppression } from './application/manage-suppressions.use-case';
import { ReceiveSendgridEvents } from './application/receive-sendgrid-events.use-case';
import { ReceiveSesEvents } from './application/receive-ses-events.use-case';
import { ReceiveTwilioStatus } from './application/receive-twilio-status.use-case';

const USE_CASES = [ReceiveSesEvents, ReceiveSendgridEvents, ReceiveTwilioStatus, ListSuppressions, AddSuppression, RemoveSuppression, RecordTrackingHit];

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
      providers: [...USE_CASES, { provide: SnsEndpoint, useClass: SnsEndpointHttp }],
      exports: USE_CASES,
    };
  }
}
