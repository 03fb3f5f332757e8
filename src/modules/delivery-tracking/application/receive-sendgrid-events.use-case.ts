import { Injectable } from '@nestjs/common';
import { InvalidWebhookSignatureError, WebhookNotConfiguredError } from '../../../domain/errors/domain-errors';
import { DeliveryEvents, type DeliveryEventsReport } from '../../../domain/ports/delivery-events.port';
import { HeraldConfig } from '../../../infrastructure/config/herald-config';
import { parseSendgridEvents } from '../../../infrastructure/webhooks/delivery-event.parsers';
import { verifySendgridSignature } from '../../../infrastructure/webhooks/sendgrid-signature';

/**
 * SendGrid's signed event webhook, verified over the raw body with SENDGRID_WEBHOOK_PUBLIC_KEY. The signed
 * timestamp must be within WEBHOOK_TIMESTAMP_TOLERANCE of now (as Stripe and Twilio advise), so a captured post
 * cannot be replayed later; a replay inside the window is harmless, its events being recorded once (sg_event_id).
 */
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
    const signedAt = /^\d{1,12}$/.test(input.timestamp ?? '') ? Number(input.timestamp) * 1000 : NaN;
    const tolerance = this.config.webhooks.timestampToleranceMs;
    if (!(Math.abs(Date.now() - signedAt) <= tolerance)) {
      throw new InvalidWebhookSignatureError('sendgrid', `the signed timestamp is not within ${Math.round(tolerance / 1000)} s of now`);
    }
    return this.events.record(parseSendgridEvents(JSON.parse(input.rawBody.toString('utf8')), new Date()));
  }
}
