import { Injectable } from '@nestjs/common';
import { InvalidWebhookSignatureError, WebhookNotConfiguredError } from '../../../domain/errors/domain-errors';
import { DeliveryEventSource, type DeliveryWebhook, type DeliveryWebhookReading } from '../../../domain/ports/delivery-event-source.port';
import { HeraldConfig } from '../../config/herald-config';
import { firstHeader, queryParameter, type DeliveryWebhookRoute } from '../delivery-webhook';
import { TWILIO_CALLBACK_NOTIFICATION_PARAM } from './twilio.adapter';
import { isValidTwilioSignature } from './twilio-signature';
import { parseTwilioStatus } from './twilio-status.parser';

/**
 * Twilio message status callbacks, verified with X-Twilio-Signature. Twilio signs the URL it called,
 * so the URL is rebuilt from PUBLIC_URL (the address Twilio is given) and the request path. The
 * notification is the one the StatusCallback URL names (signed with it), else the one with that MessageSid.
 */
@Injectable()
export class TwilioDeliveryEvents extends DeliveryEventSource {
  static readonly route: DeliveryWebhookRoute = {
    summary: 'Twilio message status callback (X-Twilio-Signature)',
    description:
      'Give this URL as the StatusCallback of messages Twilio sends. Twilio posts form fields; X-Twilio-Signature is checked ' +
      'with WEBHOOK_TWILIO_AUTH_TOKEN over PUBLIC_URL plus the request path and the sorted fields.',
    mediaTypes: ['application/x-www-form-urlencoded'],
    body: {
      type: 'object',
      required: ['MessageSid', 'MessageStatus'],
      properties: {
        MessageSid: { type: 'string', example: 'SM0123456789abcdef0123456789abcdef' },
        MessageStatus: { type: 'string', example: 'delivered', description: 'queued, sending, sent, delivered, undelivered, failed, ...' },
        ErrorCode: { type: 'string', example: '30003' },
        AccountSid: { type: 'string' },
        From: { type: 'string' },
        To: { type: 'string' },
      },
      additionalProperties: true,
    },
    notConfigured: 'WEBHOOK_TWILIO_AUTH_TOKEN',
    answer: 'report',
  };

  readonly provider = 'twilio';

  constructor(private readonly config: HeraldConfig) {
    super();
  }

  async read(webhook: DeliveryWebhook, receivedAt: Date): Promise<DeliveryWebhookReading> {
    const token = this.config.webhooks.twilioAuthToken;
    if (!token) throw new WebhookNotConfiguredError('twilio', 'WEBHOOK_TWILIO_AUTH_TOKEN');
    const params = (typeof webhook.body === 'object' && webhook.body !== null ? webhook.body : {}) as Record<string, string>;
    const url = `${this.config.http.publicUrl.replace(/\/$/, '')}${webhook.path}`;
    if (!isValidTwilioSignature(token, url, params, firstHeader(webhook, 'x-twilio-signature'))) throw new InvalidWebhookSignatureError('twilio', 'the signature does not match');
    return { kind: 'events', events: parseTwilioStatus(params, receivedAt, queryParameter(webhook, TWILIO_CALLBACK_NOTIFICATION_PARAM)) };
  }
}
