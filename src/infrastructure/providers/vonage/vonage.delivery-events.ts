import { Injectable } from '@nestjs/common';
import { InvalidWebhookSignatureError, ValidationFailedError, WebhookNotConfiguredError } from '../../../domain/errors/domain-errors';
import { DeliveryEventSource, type DeliveryWebhook, type DeliveryWebhookReading } from '../../../domain/ports/delivery-event-source.port';
import { HeraldConfig } from '../../config/herald-config';
import { assertFreshSignature, type DeliveryWebhookRoute } from '../delivery-webhook';
import { parseVonageReceipt } from './vonage-receipt.parser';
import { isValidVonageSignature } from './vonage-signature';

/**
 * Vonage SMS delivery receipts, posted as a form or as JSON (the account's webhook method), verified with
 * Vonage's signed webhooks: `sig` over the other parameters with VONAGE_SIGNATURE_SECRET and
 * VONAGE_SIGNATURE_METHOD. Without a secret they are refused, as every unauthenticated provider webhook is: an
 * unsigned receipt could be anyone's. The signed `timestamp` must be within WEBHOOK_TIMESTAMP_TOLERANCE of now.
 */
@Injectable()
export class VonageDeliveryEvents extends DeliveryEventSource {
  static readonly route: DeliveryWebhookRoute = {
    summary: 'Vonage SMS delivery receipt (signed webhook, sig parameter)',
    mediaTypes: ['application/x-www-form-urlencoded', 'application/json'],
    notConfigured: 'VONAGE_SIGNATURE_SECRET',
    badRequest: 'validation_failed: the body is not a set of delivery receipt parameters.',
    answer: 'report',
  };

  readonly provider = 'vonage';

  constructor(private readonly config: HeraldConfig) {
    super();
  }

  async read(webhook: DeliveryWebhook, receivedAt: Date): Promise<DeliveryWebhookReading> {
    const { vonageSignatureSecret: secret, vonageSignatureMethod: method, timestampToleranceMs } = this.config.webhooks;
    if (!secret) throw new WebhookNotConfiguredError('vonage', 'VONAGE_SIGNATURE_SECRET');
    const params = receiptParameters(webhook.body);
    if (!isValidVonageSignature(secret, method, params)) throw new InvalidWebhookSignatureError('vonage', 'the signature does not match');
    assertFreshSignature('vonage', params.timestamp, timestampToleranceMs);
    if (!params.messageId || !params.status) throw new ValidationFailedError([{ field: 'body', reason: 'is not a delivery receipt (messageId and status are required)' }]);
    return { kind: 'events', events: parseVonageReceipt(params, receivedAt) };
  }
}

/** The receipt's parameters as the strings Vonage signed: a form's fields, or a flat JSON object's values. */
function receiptParameters(body: unknown): Record<string, string> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new ValidationFailedError([{ field: 'body', reason: 'must be a form or a JSON object' }]);
  const params: Record<string, string> = {};
  for (const [name, value] of Object.entries(body)) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') params[name] = String(value);
    else throw new ValidationFailedError([{ field: name, reason: 'must be a single value' }]);
  }
  return params;
}
