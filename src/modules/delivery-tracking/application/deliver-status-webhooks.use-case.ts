import { Injectable, Logger } from '@nestjs/common';
import { nextRetryDelayMs } from '../../../domain/notification/retry-policy';
import { StatusFeed, WebhookPoster } from '../../../domain/ports/status-feed.port';
import { HeraldConfig } from '../../../infrastructure/config/herald-config';
import { signCustomerWebhook } from '../../../infrastructure/webhooks/customer-webhook-signature';

const FEED = 'customer-webhook';

export type DeliverStatusWebhooksReport = { delivered: number; pending: boolean } | { skipped: 'not_configured' | 'backing_off' } | { failed: string; retryAt: Date };

/**
 * Posts every status change, in order and in batches, to CUSTOMER_WEBHOOK_URL, signed with
 * CUSTOMER_WEBHOOK_SECRET. The cursor moves only after a 2xx, so a failed batch is posted again (with
 * backoff on CUSTOMER_WEBHOOK_RETRY_SCHEDULE, staying at its last delay, never giving up): at least once,
 * in order; receivers deduplicate on the change id.
 */
@Injectable()
export class DeliverStatusWebhooks {
  private readonly logger = new Logger('CustomerWebhooks');

  constructor(
    private readonly feed: StatusFeed,
    private readonly poster: WebhookPoster,
    private readonly config: HeraldConfig,
  ) {}

  /** Posts batches until the feed is drained (at most `maxBatches` per run), or a post fails. */
  async execute(now: Date = new Date(), maxBatches = 20): Promise<DeliverStatusWebhooksReport> {
    let delivered = 0;
    for (let i = 0; i < maxBatches; i++) {
      const report = await this.postOneBatch(now);
      if (!('delivered' in report)) return report;
      delivered += report.delivered;
      if (!report.pending) return { delivered, pending: false };
    }
    return { delivered, pending: true };
  }

  private async postOneBatch(now: Date): Promise<DeliverStatusWebhooksReport> {
    const { url, secret, retryScheduleMs, batchSize, settleMs } = this.config.customerWebhooks;
    if (!url || !secret) return { skipped: 'not_configured' };
    const cursor = await this.feed.cursor(FEED);
    if (cursor.nextAttemptAt && cursor.nextAttemptAt > now) return { skipped: 'backing_off' };
    const changes = await this.feed.changesAfter(cursor.lastId, batchSize, settleMs);
    if (changes.length === 0) return { delivered: 0, pending: false };
    const body = JSON.stringify({ events: changes.map((c) => ({ ...c, at: c.at.toISOString() })) });
    const result = await this.poster.post(url, body, { 'X-Herald-Signature': signCustomerWebhook(secret, Math.floor(now.getTime() / 1000), body) });
    if (result.ok) {
      await this.feed.advance(FEED, changes[changes.length - 1].id);
      this.logger.log({ msg: 'status webhook delivered', delivered: changes.length });
      return { delivered: changes.length, pending: changes.length === batchSize };
    }
    const policy = { scheduleMs: retryScheduleMs, jitter: 0.2 };
    const attempt = Math.min(cursor.failures + 1, retryScheduleMs.length);
    const retryAt = new Date(now.getTime() + (nextRetryDelayMs(policy, attempt) ?? retryScheduleMs[retryScheduleMs.length - 1]));
    await this.feed.recordFailure(FEED, result.error, retryAt);
    this.logger.warn({ msg: 'status webhook failed', error: result.error, failures: cursor.failures + 1, retryAt: retryAt.toISOString() });
    return { failed: result.error, retryAt };
  }
}
