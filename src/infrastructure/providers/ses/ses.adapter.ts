import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import type { SendResult } from '../../../domain/notification/send-result';
import { EmailProvider, type OutgoingEmail } from '../../../domain/ports/email-provider.port';
import { HeraldConfig } from '../../config/herald-config';
import { classifyAwsError, type ErrorKind } from '../http/aws-error-classification';

/** Amazon SES v2 SendEmail errors (API reference, "Errors") and what they mean for a send. */
const SES_ERRORS: Record<string, ErrorKind> = {
  MessageRejected: 'permanent', // the content or a recipient was refused
  BadRequestException: 'permanent',
  MailFromDomainNotVerifiedException: 'transient', // sender setup: fail over, do not fail the notification
  AccountSuspendedException: 'transient',
  SendingPausedException: 'transient',
  NotFoundException: 'transient', // e.g. the configured configuration set does not exist
  LimitExceededException: 'transient',
  TooManyRequestsException: 'transient',
  InternalServiceErrorException: 'transient',
};

/**
 * Email through Amazon SES v2 (SendEmail, simple content). SES v2 takes no idempotency key, so a send whose
 * answer was lost cannot be repeated safely; the notification id travels as the X-Herald-Notification-Id header
 * and as an email tag so that bounces and complaints can be matched.
 */
@Injectable()
export class SesEmailAdapter extends EmailProvider implements OnApplicationShutdown {
  readonly name = 'ses';
  readonly idempotent = false;
  private client: SESv2Client | null = null;

  constructor(private readonly config: HeraldConfig) {
    super();
  }

  private get ses(): SESv2Client {
    if (this.client) return this.client;
    const { endpoint, region } = this.config.channels.ses;
    const timeout = this.config.channels.routing.requestTimeoutMs;
    this.client = new SESv2Client({
      region,
      ...(endpoint ? { endpoint } : {}),
      maxAttempts: 1,
      requestHandler: { connectionTimeout: Math.min(timeout, 5000), requestTimeout: timeout },
    });
    return this.client;
  }

  async send(email: OutgoingEmail): Promise<SendResult> {
    const { from, configurationSet } = this.config.channels.ses;
    try {
      const out = await this.ses.send(
        new SendEmailCommand({
          FromEmailAddress: from,
          Destination: { ToAddresses: [email.to] },
          Content: {
            Simple: {
              Subject: { Data: email.subject, Charset: 'UTF-8' },
              Body: {
                ...(email.text ? { Text: { Data: email.text, Charset: 'UTF-8' } } : {}),
                ...(email.html ? { Html: { Data: email.html, Charset: 'UTF-8' } } : {}),
              },
              Headers: [{ Name: 'X-Herald-Notification-Id', Value: email.notificationId }],
            },
          },
          EmailTags: [{ Name: 'herald-notification-id', Value: email.notificationId }],
          ...(configurationSet ? { ConfigurationSetName: configurationSet } : {}),
        }),
      );
      return { outcome: 'sent', providerMessageId: out.MessageId };
    } catch (err) {
      return classifyAwsError('ses', err, SES_ERRORS);
    }
  }

  onApplicationShutdown(): void {
    this.client?.destroy();
  }
}
