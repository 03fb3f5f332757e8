import { Inject, Injectable, Logger } from '@nestjs/common';
import { combineDestinationResults, type DestinationSend } from '../../../domain/routing/destination-fan-out';
import type { PushContent } from '../../../domain/notification/notification-request';
import { ChannelSender, type ChannelSendOutcome } from '../../../domain/ports/channel-sender.port';
import type { ClaimedNotification } from '../../../domain/ports/delivery-ledger.port';
import { PUSH_PROVIDERS, type PushProvider } from '../../../domain/ports/push-provider.port';
import { RecipientDirectory } from '../../../domain/ports/recipient-directory.port';
import { ProviderRouter } from '../routing/provider-router';
import { destinationKey } from './destination-key';

/**
 * Mobile push to every FCM and APNs token of the recipient; each token's send is tracked separately. A token
 * the service reports dead is removed from the recipient's profile and never used again; the others still get it.
 */
@Injectable()
export class PushChannelSender extends ChannelSender {
  readonly channel = 'push' as const;
  private readonly logger = new Logger('PushChannelSender');

  constructor(
    @Inject(PUSH_PROVIDERS) private readonly providers: PushProvider[],
    private readonly router: ProviderRouter,
    private readonly directory: RecipientDirectory,
  ) {
    super();
  }

  get resendable(): boolean {
    return this.providers.length > 0 && this.providers.every((p) => p.idempotent);
  }

  async send(notification: ClaimedNotification): Promise<ChannelSendOutcome> {
    const content = notification.content as PushContent | null;
    if (!content) return { provider: null, result: { outcome: 'permanent', code: 'missing_content', message: 'no push content' } };
    const settled = new Set(notification.settledDestinations ?? []);
    const tokens = (notification.recipient.deviceTokens ?? []).filter((t) => t.platform === 'fcm' || t.platform === 'apns');
    const pending = tokens.filter((t) => !settled.has(destinationKey(t.platform, t.token)));
    const sends = await Promise.all(
      pending.map(async (token): Promise<DestinationSend> => {
        const destination = destinationKey(token.platform, token.token);
        const provider = this.providers.find((p) => p.platform === token.platform);
        if (!provider) {
          return { destination, provider: null, result: { outcome: 'permanent', code: 'platform_not_enabled', message: `no ${token.platform} provider is configured` } };
        }
        const { result } = await this.router.single(this.channel, provider, (p) => p.send({ notificationId: notification.id, token: token.token, content }));
        if (result.outcome === 'permanent' && result.deadAddress && notification.recipient.userId) {
          await this.directory.removeDeviceToken(notification.recipient.userId, token.platform, token.token);
          this.logger.log({ msg: 'dead device token removed', notificationId: notification.id, destination, platform: token.platform });
        }
        return { destination, provider: provider.name, result };
      }),
    );
    if (tokens.length > 0 && pending.length === 0) {
      return { provider: null, result: { outcome: 'sent' }, destinations: [] };
    }
    return {
      provider: sends.length === 1 ? sends[0].provider : summaryProvider(sends),
      result: combineDestinationResults(sends),
      destinations: sends,
      ...(sends.length > 0 ? { sent: { push: content } } : {}),
    };
  }
}

/** The providers that took part, for the attempt row ("fcm", "apns", or "fcm+apns"). */
export function summaryProvider(sends: DestinationSend[]): string | null {
  const names = [...new Set(sends.map((s) => s.provider).filter((p): p is string => p !== null))].sort();
  return names.length ? names.join('+') : null;
}
