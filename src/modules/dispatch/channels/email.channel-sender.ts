import { Inject, Injectable } from '@nestjs/common';
import type { EmailContent } from '../../../domain/notification/notification-request';
import { ChannelSender, type ChannelSendOutcome } from '../../../domain/ports/channel-sender.port';
import type { ClaimedNotification } from '../../../domain/ports/delivery-ledger.port';
import { EMAIL_PROVIDERS, type EmailProvider } from '../../../domain/ports/email-provider.port';
import { ProviderRouter } from '../routing/provider-router';

/** Email through EMAIL_PROVIDERS in order, failing over on open circuits and transient failures. */
@Injectable()
export class EmailChannelSender extends ChannelSender {
  readonly channel = 'email' as const;

  constructor(
    @Inject(EMAIL_PROVIDERS) private readonly providers: EmailProvider[],
    private readonly router: ProviderRouter,
  ) {
    super();
  }

  get resendable(): boolean {
    return this.providers.length > 0 && this.providers.every((p) => p.idempotent);
  }

  async send(notification: ClaimedNotification): Promise<ChannelSendOutcome> {
    const to = notification.recipient.email;
    const content = notification.content as EmailContent | null;
    if (!to || !content) {
      return { provider: null, result: { outcome: 'permanent', code: 'missing_address_or_content', message: 'no email address or email content' } };
    }
    const email = { notificationId: notification.id, to, subject: content.subject, text: content.text, html: content.html };
    const { provider, result } = await this.router.route(this.providers, (p) => p.send(email));
    return { provider, result };
  }
}
