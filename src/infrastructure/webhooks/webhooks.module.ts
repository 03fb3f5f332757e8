import { Module } from '@nestjs/common';
import { WebhookPoster } from '../../domain/ports/status-feed.port';
import { WebhookPosterHttp } from './webhook-poster.http';

/** Outbound status webhooks to customers. */
@Module({
  providers: [
    { provide: WebhookPoster, useClass: WebhookPosterHttp },
  ],
  exports: [WebhookPoster],
})
export class WebhooksModule {}
