import { Module } from '@nestjs/common';
import { SnsEndpoint } from '../../domain/ports/sns-endpoint.port';
import { WebhookPoster } from '../../domain/ports/status-feed.port';
import { SnsEndpointHttp } from './sns-endpoint.http';
import { WebhookPosterHttp } from './webhook-poster.http';

/** Outbound HTTP of the webhook side: status webhooks to customers, and SNS subscription confirmations. */
@Module({
  providers: [
    { provide: WebhookPoster, useClass: WebhookPosterHttp },
    { provide: SnsEndpoint, useClass: SnsEndpointHttp },
  ],
  exports: [WebhookPoster, SnsEndpoint],
})
export class WebhooksModule {}
