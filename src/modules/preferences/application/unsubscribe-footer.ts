import { Injectable } from '@nestjs/common';
import type { Channel } from '../../../domain/notification/channel';
import type { Recipient } from '../../../domain/notification/notification-request';
import { CategoryCatalog } from './category-catalog';
import { escapeHtml } from './escape-html';
import { PreferenceLinks } from './preference-links';

export interface UnsubscribeExtras {
  url: string;
  /** RFC 8058 one-click unsubscribe. */
  headers: Record<string, string>;
  /** The visible link, to add to each body (`withHtmlFooter` for HTML). */
  htmlFooter: string;
  textFooter: string;
  /**
   * The same footers with the link's signed token withheld: what is kept with the content as sent, which
   * `notifications:read` keys can read, and whose working link would let them unsubscribe the user.
   */
  kept: { htmlFooter: string; textFooter: string };
}

/** The token marked as withheld in a kept copy of a link. */
export const WITHHELD_TOKEN = 'withheld';

/** What a non-critical message carries so that its reader can stop the next ones. */
@Injectable()
export class UnsubscribeFooter {
  constructor(
    private readonly categories: CategoryCatalog,
    private readonly links: PreferenceLinks,
  ) {}

  /** Null for critical categories, which users cannot opt out of. The link names the notification, which it marks `unsubscribed`. */
  async forMessage(
    notificationId: string,
    channel: Channel,
    recipient: Recipient,
    address: string,
    categoryName: string | null,
  ): Promise<UnsubscribeExtras | null> {
    const category = categoryName ? await this.categories.get(categoryName) : null;
    if (category?.critical) return null;
    const url = this.links.unsubscribeUrl({
      purpose: 'unsubscribe',
      userId: recipient.userId ?? null,
      address: recipient.userId ? null : address,
      category: categoryName,
      channel,
      notificationId,
    });
    return {
      url,
      headers: { 'List-Unsubscribe': `<${url}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
      ...footers(url),
      kept: footers(url.replace(/([?&]token=)[^&]*/, `$1${WITHHELD_TOKEN}`)),
    };
  }
}

function footers(url: string): { htmlFooter: string; textFooter: string } {
  return {
    htmlFooter: `\n<p style="font-size:12px;color:#666"><a href="${escapeHtml(url)}">Unsubscribe</a></p>`,
    textFooter: `\n\n--\nUnsubscribe: ${url}\n`,
  };
}

/**
 * Puts the footer inside the document: before the last `</body>` (or `</html>` when there is no body end),
 * else at the end of a fragment. Text after `</html>` is outside the document; clients may drop or misplace it.
 */
export function withHtmlFooter(html: string, footer: string): string {
  const lower = html.toLowerCase();
  const at = [lower.lastIndexOf('</body'), lower.lastIndexOf('</html')].find((i) => i >= 0);
  return at === undefined ? html + footer : html.slice(0, at) + footer + '\n' + html.slice(at);
}
