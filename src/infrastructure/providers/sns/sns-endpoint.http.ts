import { Injectable } from '@nestjs/common';
import { SnsEndpoint } from '../../../domain/ports/sns-endpoint.port';

const TIMEOUT_MS = 5000;
const CACHE_MS = 3_600_000;

/** Fetches SNS signing certificates over HTTP(S), cached per URL for an hour, and confirms subscriptions. */
@Injectable()
export class SnsEndpointHttp extends SnsEndpoint {
  private readonly cache = new Map<string, { pem: string; until: number }>();

  async certificate(url: string): Promise<string> {
    const hit = this.cache.get(url);
    if (hit && hit.until > Date.now()) return hit.pem;
    const res = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS), redirect: 'error' });
    if (!res.ok) throw new Error(`signing certificate ${url} answered ${res.status}`);
    const pem = await res.text();
    this.cache.set(url, { pem, until: Date.now() + CACHE_MS });
    return pem;
  }

  async confirmSubscription(subscribeUrl: string): Promise<void> {
    const res = await fetch(subscribeUrl, { signal: AbortSignal.timeout(TIMEOUT_MS), redirect: 'error' });
    if (!res.ok) throw new Error(`subscription confirmation answered ${res.status}`);
  }
}
