import { Injectable } from '@nestjs/common';
import type { InAppContent } from '../../../domain/notification/notification-request';
import { ChannelSender, type ChannelSendOutcome } from '../../../domain/ports/channel-sender.port';
import type { ClaimedNotification } from '../../../domain/ports/delivery-ledger.port';
import { Inbox } from '../../../domain/ports/inbox.port';

/** In-app: the item is stored in the user's inbox (Postgres) and announced to open streams. */
@Injectable()
export class InAppChannelSender extends ChannelSender {
  readonly channel = 'inapp' as const;
  /** The inbox keeps one item per notification, so delivering again changes nothing. */
  readonly resendable = true;

  constructor(private readonly inbox: Inbox) {
    super();
  }

  async send(notification: ClaimedNotification): Promise<ChannelSendOutcome> {
    const content = notification.content as InAppContent | null;
    const userId = notification.recipient.userId;
    if (!content || !userId) return { provider: null, result: { outcome: 'permanent', code: 'missing_user_or_content', message: 'no userId or inapp content' } };
    const sent = { inapp: { title: content.title, body: content.body, ...(content.actionUrl ? { actionUrl: content.actionUrl } : {}) } };
    try {
      const item = await this.inbox.deliver({
        userId,
        notificationId: notification.id,
        title: content.title,
        body: content.body,
        actionUrl: content.actionUrl ?? null,
        category: notification.category,
      });
      return { provider: 'inbox', result: { outcome: 'sent', providerMessageId: item.id }, sent };
    } catch (err) {
      // The insert is idempotent on the notification id, so a failed store is safe to retry.
      return { provider: 'inbox', result: { outcome: 'transient', code: 'inbox_store_failed', message: (err as Error).message }, sent };
    }
  }
}
