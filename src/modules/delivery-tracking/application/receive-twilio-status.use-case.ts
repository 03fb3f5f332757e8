import { Injectable } from '@nestjs/common';
import { InvalidWebhookSignatureError, WebhookNotConfiguredError } from '../../../domain/errors/domain-errors';
import { DeliveryEvents, type DeliveryEventsReport } from '../../../domain/ports/delivery-events.port';
import { HeraldConfig } from '../../../infrastructure/config/herald-config';
import { parseTwilioStatus } from '../../../infrastructure/webhooks/delivery-event.parsers';
import { verifyTwilioSignature } from '../../../infrastructure/webhooks/twilio-signature';

/**
 * Twilio message status callbacks, verified with X-Twilio-Signature. Twilio signs the URL it called,
 * so the URL is rebuilt from PUBLIC_URL (the address Twilio is given) and the request path.
 */
@Injectable()
export class ReceiveTwilioStatus {
  constructor(
    private readonly events: DeliveryEvents,
    private readonly config: HeraldConfig,
  ) {}

  async execute(input: { path: string; params: Record<string, string>; signature: string | undefined }): Promise<DeliveryEventsReport> {
    const token = this.config.webhooks.twilioAuthToken;
    if (!token) throw new WebhookNotConfiguredError('twilio', 'WEBHOOK_TWILIO_AUTH_TOKEN');
    const url = `${this.config.http.publicUrl.replace(/\/$/, '')}${input.path}`;
    if (!verifyTwilioSignature(token, url, input.params, input.signature)) throw new InvalidWebhookSignatureError('twilio', 'the signature does not match');
    return this.events.record(parseTwilioStatus(input.params, new Date()));
  }
}
