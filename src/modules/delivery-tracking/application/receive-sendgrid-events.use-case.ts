import { Injectable } from '@nestjs/common';
import { InvalidWebhookSignatureError, WebhookNotConfiguredError } from '../../../domain/errors/domain-errors';
import { DeliveryEvents, type DeliveryEventsReport } from '../../../domain/ports/delivery-events.port';
import { HeraldConfig } from '../../../infrastructure/config/herald-config';
import { parseSendgridEvents } from '../../../infrastructure/webhooks/delivery-event.parsers';
import { verifySendgridSignature } from '../../../infrastructure/webhooks/sendgrid-signature';

/** SendGrid's signed event webhook, verified over the raw body with SENDGRID_WEBHOOK_PUBLIC_KEY. */
@Injectable()
export class ReceiveSendgridEvents {
  constructor(
    private readonly events: DeliveryEvents,
    private readonly config: HeraldConfig,
  ) {}

  async execute(input: { rawBody: Buffer | undefined; signature: string | undefined; timestamp: string | undefined }): Promise<DeliveryEventsReport> {
    const key = this.config.webhooks.sendgridPublicKey;
    if (!key) throw new WebhookNotConfiguredError('sendgrid', 'SENDGRID_WEBHOOK_PUBLIC_KEY');
    if (!input.rawBody || !verifySendgridSignature(key, input.rawBody, input.signature, input.timestamp)) {
      throw new InvalidWebhookSignatureError('sendgrid', 'the signature does not match');
    }
    return this.events.record(parseSendgridEvents(JSON.parse(input.rawBody.toString('utf8')), new Date()));
  }
}
