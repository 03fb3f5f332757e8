import { Injectable } from '@nestjs/common';
import { InvalidWebhookSignatureError, WebhookNotConfiguredError } from '../../../domain/errors/domain-errors';
import { DeliveryEventSource, type DeliveryWebhook, type DeliveryWebhookReading } from '../../../domain/ports/delivery-event-source.port';
import { HeraldConfig } from '../../config/herald-config';
import { assertFreshSignature, firstHeader, type DeliveryWebhookRoute } from '../delivery-webhook';
import { parseSendgridEvents } from './sendgrid-event.parser';
import { verifySendgridSignature } from './sendgrid-signature';

/**
 * SendGrid's signed event webhook, verified over the raw body with SENDGRID_WEBHOOK_PUBLIC_KEY. The signed
 * timestamp must be within WEBHOOK_TIMESTAMP_TOLERANCE of now (as Stripe and Twilio advise), so a captured post
 * cannot be replayed later; a replay inside the window is harmless, its events being recorded once (sg_event_id).
 */
@Injectable()
export class SendgridDeliveryEvents extends DeliveryEventSource {
  static readonly route: DeliveryWebhookRoute = {
    summary: 'SendGrid signed event webhook (X-Twilio-Email-Event-Webhook-Signature / -Timestamp)',
    notConfigured: 'SENDGRID_WEBHOOK_PUBLIC_KEY',
    answer: 'report',
  };

  readonly provider = 'sendgrid';

  constructor(private readonly config: HeraldConfig) {
    super();
  }

  async read(webhook: DeliveryWebhook, receivedAt: Date): Promise<DeliveryWebhookReading> {
    const key = this.config.webhooks.sendgridPublicKey;
    if (!key) throw new WebhookNotConfiguredError('sendgrid', 'SENDGRID_WEBHOOK_PUBLIC_KEY');
    const signature = firstHeader(webhook, 'x-twilio-email-event-webhook-signature');
    const timestamp = firstHeader(webhook, 'x-twilio-email-event-webhook-timestamp');
    if (!webhook.rawBody || !verifySendgridSignature(key, webhook.rawBody, signature, timestamp)) {
      throw new InvalidWebhookSignatureError('sendgrid', 'the signature does not match');
    }
    assertFreshSignature('sendgrid', timestamp, this.config.webhooks.timestampToleranceMs);
    return { kind: 'events', events: parseSendgridEvents(JSON.parse(webhook.rawBody.toString('utf8')), receivedAt) };
  }
}
