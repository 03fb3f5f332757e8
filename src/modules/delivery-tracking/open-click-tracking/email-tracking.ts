import { Injectable } from '@nestjs/common';
import { HeraldConfig } from '../../../infrastructure/config/herald-config';
import { addTracking } from '../../../infrastructure/tracking/tracking-links';

/** Adds the open pixel and click redirects to an email's HTML, when TRACKING_SECRET is set and its category is tracked. */
@Injectable()
export class EmailTracking {
  constructor(private readonly config: HeraldConfig) {}

  decorate(html: string | undefined, notification: { id: string; category: string | null }): string | undefined {
    const { secret, categories } = this.config.tracking;
    if (!html || !secret) return html;
    if (!categories.includes('*') && !(notification.category && categories.includes(notification.category))) return html;
    return addTracking(html, { baseUrl: this.config.http.publicUrl, secret, notificationId: notification.id });
  }
}
