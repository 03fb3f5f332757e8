import { Injectable, Logger } from '@nestjs/common';
import { InvalidWebhookSignatureError, ValidationFailedError } from '../../../domain/errors/domain-errors';
import { DeliveryEventSource, type DeliveryWebhook, type DeliveryWebhookReading } from '../../../domain/ports/delivery-event-source.port';
import { SnsEndpoint } from '../../../domain/ports/sns-endpoint.port';
import { HeraldConfig } from '../../config/herald-config';
import type { DeliveryWebhookRoute } from '../delivery-webhook';
import { isSnsMessage, isTrustedCertUrl, verifySnsMessage } from '../sns/sns-message';
import { parseSesEvent } from './ses-event.parser';

/**
 * SES events delivered by SNS. Nothing is trusted before the signature is verified with the certificate
 * from SigningCertURL, which must match WEBHOOK_SNS_CERT_URL_PATTERN; WEBHOOK_SNS_TOPIC_ARNS, when set,
 * limits the topics accepted. A subscription confirmation is confirmed by calling its SubscribeURL.
 */
@Injectable()
export class SesDeliveryEvents extends DeliveryEventSource {
  static readonly route: DeliveryWebhookRoute = {
    summary: 'SES events through an SNS HTTPS subscription (signature and certificate verified; subscriptions confirmed)',
    description:
      'Subscribe this URL to the SNS topic of the SES configuration set (HTTPS). SNS posts each message as JSON, with ' +
      '`Content-Type: text/plain`; the signature is checked with the certificate at SigningCertURL. A SubscriptionConfirmation is ' +
      'confirmed by calling its SubscribeURL; a Notification carries one SES event in Message.',
    mediaTypes: ['text/plain', 'application/json'],
    body: {
      type: 'object',
      description: 'An SNS HTTP(S) message (Notification, SubscriptionConfirmation or UnsubscribeConfirmation).',
      required: ['Type', 'MessageId', 'TopicArn', 'Message', 'Timestamp', 'SignatureVersion', 'Signature', 'SigningCertURL'],
      properties: {
        Type: { type: 'string', enum: ['Notification', 'SubscriptionConfirmation', 'UnsubscribeConfirmation'] },
        MessageId: { type: 'string' },
        TopicArn: { type: 'string', example: 'arn:aws:sns:us-east-1:123456789012:ses-events' },
        Subject: { type: 'string' },
        Message: { type: 'string', description: 'For a Notification, the SES event as JSON text.' },
        Timestamp: { type: 'string', format: 'date-time' },
        SignatureVersion: { type: 'string', enum: ['1', '2'] },
        Signature: { type: 'string' },
        SigningCertURL: { type: 'string', format: 'uri' },
        SubscribeURL: { type: 'string', format: 'uri' },
        Token: { type: 'string' },
        UnsubscribeURL: { type: 'string', format: 'uri' },
      },
      additionalProperties: true,
    },
    badRequest: 'Not an SNS message.',
    answer: 'outcome',
  };

  readonly provider = 'ses';
  private readonly logger = new Logger('DeliveryTracking');

  constructor(
    private readonly sns: SnsEndpoint,
    private readonly config: HeraldConfig,
  ) {
    super();
  }

  async read(webhook: DeliveryWebhook, receivedAt: Date): Promise<DeliveryWebhookReading> {
    const body = webhook.body;
    let message: unknown = body;
    if (typeof body === 'string') {
      try {
        message = JSON.parse(body);
      } catch {
        throw new ValidationFailedError([{ field: 'body', reason: 'must be an SNS message (JSON)' }]);
      }
    }
    if (!isSnsMessage(message)) throw new ValidationFailedError([{ field: 'body', reason: 'must be an SNS message (JSON)' }]);
    const { snsCertUrlPattern, snsTopicArns } = this.config.webhooks;
    if (snsTopicArns.length && !snsTopicArns.includes(message.TopicArn)) throw new InvalidWebhookSignatureError('ses', `topic ${message.TopicArn} is not accepted`);
    if (!isTrustedCertUrl(message.SigningCertURL, snsCertUrlPattern)) throw new InvalidWebhookSignatureError('ses', 'the signing certificate URL is not trusted');
    let pem: string;
    try {
      pem = await this.sns.certificate(message.SigningCertURL);
    } catch (err) {
      throw new InvalidWebhookSignatureError('ses', `the signing certificate cannot be fetched (${(err as Error).message})`);
    }
    const verdict = verifySnsMessage(message, pem);
    if (!verdict.ok) throw new InvalidWebhookSignatureError('ses', verdict.reason);

    if (message.Type === 'SubscriptionConfirmation') {
      if (!message.SubscribeURL || !new RegExp(snsCertUrlPattern).test(message.SubscribeURL)) {
        throw new InvalidWebhookSignatureError('ses', 'the SubscribeURL is not an SNS URL');
      }
      await this.sns.confirmSubscription(message.SubscribeURL);
      this.logger.log({ msg: 'SNS subscription confirmed', topic: message.TopicArn });
      return { kind: 'subscription_confirmed' };
    }
    if (message.Type !== 'Notification') return { kind: 'ignored', type: message.Type };
    return { kind: 'events', events: parseSesEvent(message.MessageId, message.Message, receivedAt) };
  }
}
