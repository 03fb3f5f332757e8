import { Injectable } from '@nestjs/common';
import { WebhookPoster } from '../../domain/ports/status-feed.port';

const TIMEOUT_MS = 10_000;

/** POSTs JSON with fetch; any 2xx is success, anything else (or no answer in 10 s) a failure to retry. */
@Injectable()
export class WebhookPosterHttp extends WebhookPoster {
  async post(url: string, body: string, headers: Record<string, string>): Promise<{ ok: true } | { ok: false; error: string }> {
    try {
      const res = await fetch(url, { method: 'POST', body, headers: { 'Content-Type': 'application/json', ...headers }, signal: AbortSignal.timeout(TIMEOUT_MS), redirect: 'error' });
      await res.arrayBuffer().catch(() => undefined);
      return res.ok ? { ok: true } : { ok: false, error: `answered ${res.status}` };
    } catch (err) {
      return { ok: false, error: (err as Error).message };
    }
  }
}
