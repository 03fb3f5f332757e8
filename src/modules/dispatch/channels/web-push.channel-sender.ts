import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { combineDestinationResults, type DestinationSend } from '../../../domain/routing/destination-fan-out';
import type { WebPushContent } from '../../../domain/notification/notification-request';
import { ChannelSender, type ChannelSendOutcome } from '../../../domain/ports/channel-sender.port';
import type { ClaimedNotification } from '../../../domain/ports/delivery-ledger.port';
import { RecipientDirectory } from '../../../domain/ports/recipient-directory.port';
import { WebPushProvider } from '../../../domain/ports/web-push-provider.port';
import { ProviderRouter } from '../routing/provider-router';
import { destinationKey } from './destination-key';

/** Web push to every browser subscription of the recipient; an expired subscription is removed from the profile. */
@Injectable()
export class WebPushChannelSender extends ChannelSender {
  readonly channel = 'webpush' as const;
  private readonly logger = new Logger('WebPushChannelSender');

  constructor(
    private readonly router: ProviderRouter,
    private readonly directory: RecipientDirectory,
    // Null when VAPID keys are not configured.
    @Optional() @Inject(WebPushProvider) private readonly provider: WebPushProvider | null,
  ) {
    super();
  }

  get resendable(): boolean {
    return this.provider?.idempotent ?? false;
  }

  async send(notification: ClaimedNotification): Promise<ChannelSendOutcome> {
    const content = notification.content as WebPushContent | null;
    if (!content) return { provider: null, result: { outcome: 'permanent', code: 'missing_content', message: 'no webpush content' } };
    const provider = this.provider;
    if (!provider) return { provider: null, result: { outcome: 'permanent', code: 'no_provider_configured', message: 'web push needs VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY' } };
    const settled = new Set(notification.settledDestinations ?? []);
    const subscriptions = (notification.recipient.deviceTokens ?? []).filter((t) => t.platform === 'webpush' && t.keys);
    const pending = subscriptions.filter((t) => !settled.has(destinationKey('webpush', t.token)));
    const sends = await Promise.all(
      pending.map(async (sub): Promise<DestinationSend> => {
        const destination = destinationKey('webpush', sub.token);
        const { result } = await this.router.single(this.channel, provider, (p) =>
          p.send({ notificationId: notification.id, subscription: { endpoint: sub.token, keys: sub.keys! }, content }),
        );
        if (result.outcome === 'permanent' && result.deadAddress && notification.recipient.userId) {
          await this.directory.removeDeviceToken(notification.recipient.userId, 'webpush', sub.token);
          this.logger.log({ msg: 'expired web push subscription removed', notificationId: notification.id, destination });
        }
        return { destination, provider: provider.name, result };
      }),
    );
    if (subscriptions.length > 0 && pending.length === 0) return { provider: null, result: { outcome: 'sent' }, destinations: [] };
    return { provider: provider.name, result: combineDestinationResults(sends), destinations: sends, ...(sends.length > 0 ? { sent: { webpush: content } } : {}) };
  }
}
