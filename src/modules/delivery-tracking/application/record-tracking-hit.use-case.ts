import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { NotificationReader } from '../../../domain/ports/notification-reader.port';
import { HeraldConfig } from '../../../infrastructure/config/herald-config';
import { readTrackingToken, trackableLinks } from '../../../infrastructure/tracking/tracking-links';
import { RecordDeliveryEvents } from './record-delivery-events';

/**
 * An open (pixel loaded) or a click (redirect followed) from a signed tracking link: recorded as a
 * delivery event with its time, moving the notification forward. The first open, and the first click of
 * each link, count; repeats are duplicates. Returns where to redirect a click, or null for a bad token.
 *
 * A valid signature is not enough: the email must exist, be younger than TRACKING_LINK_TTL, and a click's
 * destination must be a link of the HTML Herald rendered for it (or one of Herald's own pages, such as the
 * unsubscribe footer). Even with the tracking secret, Herald's address cannot be made to redirect elsewhere.
 */
@Injectable()
export class RecordTrackingHit {
  constructor(
    private readonly events: RecordDeliveryEvents,
    private readonly notifications: NotificationReader,
    private readonly config: HeraldConfig,
  ) {}

  async execute(input: { kind: 'open' | 'click'; token: string }): Promise<{ redirectTo: string | null } | null> {
    const secret = this.config.tracking.secret;
    const payload = secret ? readTrackingToken(secret, input.token) : null;
    if (!payload || (input.kind === 'click' && !payload.u)) return null;
    const email = await this.notifications.findTrackedEmail(payload.n);
    if (!email || Date.now() - email.createdAt.getTime() > this.config.tracking.linkTtlMs) return null;
    if (payload.u !== undefined && !this.wasRendered(payload.u, email.html)) return null;
    const linkId = payload.u ? createHash('sha256').update(payload.u).digest('hex').slice(0, 16) : '';
    await this.events.execute([
      {
        provider: 'herald',
        eventId: input.kind === 'open' ? `open:${payload.n}` : `click:${payload.n}:${linkId}`,
        notificationId: payload.n,
        providerMessageId: null,
        channel: 'email',
        type: input.kind === 'open' ? 'opened' : 'clicked',
        permanent: false,
        address: null,
        occurredAt: new Date(),
        detail: payload.u ?? null,
      },
    ]);
    return { redirectTo: payload.u ?? null };
  }

  private wasRendered(url: string, html: string | null): boolean {
    if (html !== null && trackableLinks(html).has(url)) return true;
    // Footers Herald adds when it sends (unsubscribe, preferences) point at its own pages.
    return url.startsWith(`${this.config.http.publicUrl.replace(/\/+$/, '')}/`);
  }
}
