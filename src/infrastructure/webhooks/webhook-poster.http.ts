import { Injectable } from '@nestjs/common';
import { WebhookPoster } from '../../domain/ports/status-feed.port';
import { HeraldConfig } from '../config/herald-config';
import { callDestination, isHttpFailure } from '../providers/http/provider-http';

const TIMEOUT_MS = 10_000;

/**
 * POSTs JSON through the guarded client of customer-given URLs (https, no private address, no redirect); any 2xx
 * is success, anything else (or no answer in 10 s) a failure to retry. The receiver's body is never kept.
 */
@Injectable()
export class WebhookPosterHttp extends WebhookPoster {
  constructor(private readonly config: HeraldConfig) {
    super();
  }

  async post(url: string, body: string, headers: Record<string, string>): Promise<{ ok: true } | { ok: false; error: string }> {
    const answer = await callDestination('customer_webhook', url, { method: 'POST', body, headers: { 'Content-Type': 'application/json', ...headers } }, TIMEOUT_MS, this.config.outbound);
    if (isHttpFailure(answer)) return { ok: false, error: `${answer.code}: ${answer.message}` };
    return answer.status >= 200 && answer.status < 300 ? { ok: true } : { ok: false, error: `answered ${answer.status}` };
  }
}
