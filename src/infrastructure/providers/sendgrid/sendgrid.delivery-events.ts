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
    description:
      'Point SendGrid\'s signed event webhook here. It posts a JSON array of events; the ECDSA signature over the timestamp and ' +
      'the exact body bytes is checked with SENDGRID_WEBHOOK_PUBLIC_KEY, and the timestamp must be recent.',
    body: {
      type: 'array',
      items: {
        type: 'object',
        required: ['event', 'timestamp'],
        properties: {
          event: { type: 'string', example: 'delivered', description: 'processed, delivered, deferred, bounce, dropped, open, click, spamreport, unsubscribe, ...' },
          email: { type: 'string', example: 'ada@example.com' },
          timestamp: { type: 'integer', example: 1764590400, description: 'Unix seconds.' },
          sg_event_id: { type: 'string' },
          sg_message_id: { type: 'string' },
          reason: { type: 'string' },
          type: { type: 'string', description: 'For a bounce: bounce or blocked.' },
          url: { type: 'string', description: 'For a click: the link.' },
        },
        additionalProperties: true,
      },
    },
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
