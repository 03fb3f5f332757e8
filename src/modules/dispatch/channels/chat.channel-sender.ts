import { Inject, Injectable } from '@nestjs/common';
import { combineDestinationResults, type DestinationSend } from '../../../domain/routing/destination-fan-out';
import type { ChatContent } from '../../../domain/notification/notification-request';
import { ChannelSender, type ChannelSendOutcome } from '../../../domain/ports/channel-sender.port';
import { CHAT_PROVIDERS, type ChatProvider } from '../../../domain/ports/chat-provider.port';
import type { ClaimedNotification } from '../../../domain/ports/delivery-ledger.port';
import { ProviderRouter } from '../routing/provider-router';
import { destinationKey } from './destination-key';
import { summaryProvider } from './push.channel-sender';

/** Chat to every enabled destination of the recipient (Slack webhooks, signed HTTP webhooks), each tracked separately. */
@Injectable()
export class ChatChannelSender extends ChannelSender {
  readonly channel = 'chat' as const;

  constructor(
    @Inject(CHAT_PROVIDERS) private readonly providers: ChatProvider[],
    private readonly router: ProviderRouter,
  ) {
    super();
  }

  get resendable(): boolean {
    return this.providers.length > 0 && this.providers.every((p) => p.idempotent);
  }

  async send(notification: ClaimedNotification): Promise<ChannelSendOutcome> {
    const content = notification.content as ChatContent | null;
    if (!content) return { provider: null, result: { outcome: 'permanent', code: 'missing_content', message: 'no chat content' } };
    const settled = new Set(notification.settledDestinations ?? []);
    const destinations = (notification.recipient.chatDestinations ?? []).filter((d) => d.enabled);
    const pending = destinations.filter((d) => !settled.has(destinationKey(d.type, d.url)));
    const sends = await Promise.all(
      pending.map(async (d): Promise<DestinationSend> => {
        const destination = destinationKey(d.type, d.url);
        const provider = this.providers.find((p) => p.type === d.type);
        if (!provider) return { destination, provider: null, result: { outcome: 'permanent', code: 'provider_not_enabled', message: `no ${d.type} provider is configured` } };
        const { result } = await this.router.single(this.channel, provider, (p) => p.send({ notificationId: notification.id, url: d.url, content }));
        return { destination, provider: provider.name, result };
      }),
    );
    if (destinations.length > 0 && pending.length === 0) return { provider: null, result: { outcome: 'sent' }, destinations: [] };
    return { provider: summaryProvider(sends), result: combineDestinationResults(sends), destinations: sends, ...(sends.length > 0 ? { sent: { chat: content } } : {}) };
  }
}
