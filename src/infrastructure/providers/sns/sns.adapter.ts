import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { SendResult } from '../../../domain/notification/send-result';
import { SmsProvider, type OutgoingSms } from '../../../domain/ports/sms-provider.port';
import { HeraldConfig } from '../../config/herald-config';
import { classifyAwsError, type ErrorKind } from '../http/aws-error-classification';

/** Amazon SNS Publish errors (API reference, "Errors") and what they mean for an SMS. */
const SNS_ERRORS: Record<string, ErrorKind> = {
  InvalidParameterException: 'permanent', // e.g. a malformed phone number
  InvalidParameterValueException: 'permanent',
  EndpointDisabledException: 'permanent',
  OptedOutException: 'permanent',
  ThrottledException: 'transient',
  ThrottlingException: 'transient',
  Throttling: 'transient', // the common AWS throttling error code
  RequestLimitExceeded: 'transient',
  KMSThrottlingException: 'transient',
  InternalErrorException: 'transient',
  AuthorizationErrorException: 'transient', // credentials or policy: the provider setup, not the message
  InvalidSecurityException: 'transient',
};

/**
 * SMS through Amazon SNS (Publish to a phone number). SNS takes no idempotency key for SMS, so a send whose
 * answer was lost cannot be repeated safely. The SDK's own retries are off: the router decides.
 */
@Injectable()
export class SnsSmsAdapter extends SmsProvider implements OnApplicationShutdown {
  readonly name = 'sns';
  readonly idempotent = false;
  private client: SNSClient | null = null;

  constructor(private readonly config: HeraldConfig) {
    super();
  }

  private get sns(): SNSClient {
    if (this.client) return this.client;
    const { endpoint, region } = this.config.channels.sns;
    const timeout = this.config.channels.routing.requestTimeoutMs;
    this.client = new SNSClient({
      region,
      ...(endpoint ? { endpoint } : {}),
      maxAttempts: 1,
      requestHandler: { connectionTimeout: Math.min(timeout, 5000), requestTimeout: timeout },
    });
    return this.client;
  }

  async send(sms: OutgoingSms): Promise<SendResult> {
    const { senderId, smsType } = this.config.channels.sns;
    try {
      const out = await this.sns.send(
        new PublishCommand({
          PhoneNumber: sms.to,
          Message: sms.text,
          MessageAttributes: {
            'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: smsType },
            ...(senderId ? { 'AWS.SNS.SMS.SenderID': { DataType: 'String', StringValue: senderId } } : {}),
          },
        }),
      );
      return { outcome: 'sent', providerMessageId: out.MessageId };
    } catch (err) {
      return classifyAwsError('sns', err, SNS_ERRORS);
    }
  }

  onApplicationShutdown(): void {
    this.client?.destroy();
  }
}
