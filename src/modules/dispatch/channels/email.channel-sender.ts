import { Inject, Injectable } from '@nestjs/common';
import type { EmailContent } from '../../../domain/notification/notification-request';
import { ChannelSender, DEFAULT_MAX_IN_FLIGHT, type ChannelSendOutcome } from '../../../domain/ports/channel-sender.port';
import type { ClaimedNotification } from '../../../domain/ports/delivery-ledger.port';
import { EMAIL_PROVIDERS, type EmailProvider, type OutgoingEmail } from '../../../domain/ports/email-provider.port';
import { EmailTracking } from '../../delivery-tracking/open-click-tracking/email-tracking';
import { UnsubscribeFooter, withHtmlFooter } from '../../preferences/application/unsubscribe-footer';
import { ProviderRouter } from '../routing/provider-router';

/**
 * Email through EMAIL_PROVIDERS in order, failing over on open circuits and transient failures.
 * Addresses named only by a userId were resolved from the profile before this is called.
 */
@Injectable()
export class EmailChannelSender extends ChannelSender {
  readonly channel = 'email' as const;

  constructor(
    @Inject(EMAIL_PROVIDERS) private readonly providers: EmailProvider[],
    private readonly router: ProviderRouter,
    private readonly unsubscribe: UnsubscribeFooter,
    private readonly tracking: EmailTracking,
  ) {
    super();
  }

  get resendable(): boolean {
    return this.providers.length > 0 && this.providers.every((p) => p.idempotent);
  }

  /** The primary provider's: it carries the traffic except during a fail-over. */
  override get maxInFlight(): number {
    return this.providers[0]?.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT;
  }

  async send(notification: ClaimedNotification): Promise<ChannelSendOutcome> {
    const recipient = notification.recipient;
    const to = recipient.email;
    const content = notification.content as EmailContent | null;
    if (!to || !content) {
      const message = !content ? 'no email content' : `no email address: none in the request and none on file for ${recipient.userId ?? 'the recipient'}`;
      return { provider: null, result: { outcome: 'permanent', code: 'missing_address_or_content', message } };
    }
    // Non-critical mail carries RFC 8058 one-click unsubscribe headers and a visible link.
    const extras = await this.unsubscribe.forMessage(notification.id, 'email', recipient, to, notification.category);
    const email: OutgoingEmail = {
      notificationId: notification.id,
      to,
      subject: content.subject,
      text: content.text !== undefined && extras ? content.text + extras.textFooter : content.text,
      // Open pixel and signed click redirects, for categories that track them.
      html: this.tracking.decorate(content.html !== undefined && extras ? withHtmlFooter(content.html, extras.htmlFooter) : content.html, notification),
      headers: extras?.headers,
      ...(notification.category ? { category: notification.category } : {}),
    };
    const { provider, result } = await this.router.route(this.channel, this.providers, (p) => p.send(email));
    // Kept without the tracking marks (shown again, the pixel would count an open and the links clicks), and with
    // the footer's signed unsubscribe token withheld (whoever reads it could unsubscribe the user).
    const sent = {
      subject: content.subject,
      ...(content.text !== undefined ? { text: extras ? content.text + extras.kept.textFooter : content.text } : {}),
      ...(content.html !== undefined ? { html: extras ? withHtmlFooter(content.html, extras.kept.htmlFooter) : content.html } : {}),
    };
    return { provider, result, sent: { email: sent } };
  }
}
