import { Injectable } from '@nestjs/common';
import { ValidationFailedError, WebPushNotConfiguredError } from '../../../domain/errors/domain-errors';
import { RecipientDirectory } from '../../../domain/ports/recipient-directory.port';
import { HeraldConfig } from '../../../infrastructure/config/herald-config';
import { destinationFieldIssues } from '../../../infrastructure/providers/http/outbound-guard';

/** Browsers of one user: at most this many web push subscriptions are kept, the oldest dropped first. */
export const WEB_PUSH_SUBSCRIPTIONS_PER_USER = 10;

/**
 * Stores a browser's PushSubscription as a webpush device token of the user's profile, where the webpush channel
 * reads it (creating the profile if the user has none). The endpoint must be a URL Herald may call.
 */
@Injectable()
export class SaveWebPushSubscription {
  constructor(
    private readonly directory: RecipientDirectory,
    private readonly config: HeraldConfig,
  ) {}

  async execute(input: { userId: string; endpoint: string; keys: { p256dh: string; auth: string } }): Promise<void> {
    if (!this.config.channels.webPush.enabled) throw new WebPushNotConfiguredError();
    const issues = destinationFieldIssues({ deviceTokens: [{ token: input.endpoint, platform: 'webpush' }], chatDestinations: [] }, this.config.outbound).map((i) => ({ ...i, field: 'endpoint' }));
    if (issues.length) throw new ValidationFailedError(issues);
    await this.directory.saveDeviceToken(input.userId, { token: input.endpoint, platform: 'webpush', keys: { p256dh: input.keys.p256dh, auth: input.keys.auth } }, WEB_PUSH_SUBSCRIPTIONS_PER_USER);
  }
}
