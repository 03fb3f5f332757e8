import { Injectable } from '@nestjs/common';
import type { EmailContent, Recipient } from '../../../domain/notification/notification-request';
import { ChannelSender, type ChannelSendOutcome } from '../../../domain/ports/channel-sender.port';
import type { ClaimedNotification } from '../../../domain/ports/delivery-ledger.port';
import { EmailProvider } from '../../../domain/ports/email-provider.port';
import { EmailTracking } from '../../delivery-tracking/tracking/email-tracking';

@Injectable()
export class EmailChannelSender extends ChannelSender {
  readonly channel = 'email' as const;

  constructor(
    private readonly provider: EmailProvider,
    private readonly tracking: EmailTracking,
  ) {
    super();
  }

  get resendable(): boolean {
    return this.provider.idempotent;
  }

  async send(notification: ClaimedNotification): Promise<ChannelSendOutcome> {
    const to = (notification.recipient as Recipient).email;
    const content = notification.content as EmailContent | null;
    if (!to || !content) {
      return { provider: null, result: { outcome: 'permanent', code: 'missing_address_or_content', message: 'no email address or email content' } };
    }
    const html = this.tracking.decorate(content.html, notification);
    const result = await this.provider.send({ notificationId: notification.id, to, subject: content.subject, text: content.text, html });
    return { provider: this.provider.name, result };
  }
}
