import { Injectable } from '@nestjs/common';
import type { EmailContent, Recipient } from '../../../domain/notification/notification-request';
import { ChannelSender, type ChannelSendOutcome } from '../../../domain/ports/channel-sender.port';
import type { ClaimedNotification } from '../../../domain/ports/delivery-ledger.port';
import { EmailProvider } from '../../../domain/ports/email-provider.port';
import { RecipientDirectory } from '../../../domain/ports/recipient-directory.port';
import { UnsubscribeFooter } from '../../preferences/application/unsubscribe-footer';

@Injectable()
export class EmailChannelSender extends ChannelSender {
  readonly channel = 'email' as const;

  constructor(
    private readonly provider: EmailProvider,
    private readonly directory: RecipientDirectory,
    private readonly unsubscribe: UnsubscribeFooter,
  ) {
    super();
  }

  get resendable(): boolean {
    return this.provider.idempotent;
  }

  async send(notification: ClaimedNotification): Promise<ChannelSendOutcome> {
    const recipient = notification.recipient as Recipient;
    const content = notification.content as EmailContent | null;
    // A request naming only a userId gets the address the profile has now.
    const to = recipient.email ?? (recipient.userId ? (await this.directory.get(recipient.userId))?.email : null);
    if (!to || !content) {
      const message = !content ? 'no email content' : `no email address: none in the request and none on file for ${recipient.userId ?? 'the recipient'}`;
      return { provider: null, result: { outcome: 'permanent', code: 'missing_address_or_content', message } };
    }
    const extras = await this.unsubscribe.forMessage('email', recipient, to, notification.category);
    const result = await this.provider.send({
      notificationId: notification.id,
      to,
      subject: content.subject,
      text: content.text !== undefined && extras ? content.text + extras.textFooter : content.text,
      html: content.html !== undefined && extras ? content.html + extras.htmlFooter : content.html,
      headers: extras?.headers,
    });
    return { provider: this.provider.name, result };
  }
}
