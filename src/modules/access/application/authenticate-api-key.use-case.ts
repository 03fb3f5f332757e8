import { Injectable } from '@nestjs/common';
import type { ApiKeyPrincipal } from '../../../domain/access/api-key';
import { ApiKeyStore } from '../../../domain/ports/api-key-store.port';
import { RateLimitCounters } from '../../../domain/ports/rate-limit-counters.port';
import { HeraldConfig } from '../../../infrastructure/config/herald-config';
import { hashApiKey } from './api-key-secret';

const CACHE_TTL_MS = 30_000;
const CACHE_MAX = 1000;
const FAILURE_WINDOW_MS = 60_000;

export type Authentication =
  | { kind: 'authenticated'; principal: ApiKeyPrincipal }
  | { kind: 'rejected' }
  /** A known key past its expiry. */
  | { kind: 'expired' }
  /** The address presented too many unknown keys: no look-up was made. */
  | { kind: 'throttled'; retryAfterMs: number };

/**
 * Resolves a presented secret to its key. Known keys are cached briefly, so a key revoked by another process
 * stops working within 30 s (at once in the process that revoked it, which forgets it); an expiring key is cached
 * no later than its expiry. Unknown keys are never cached, so a flood of them cannot evict the known ones; instead each client
 * address may present AUTH_FAILURE_LIMIT_PER_MINUTE of them, after which its look-ups stop until the window ends.
 */
@Injectable()
export class AuthenticateApiKey {
  private readonly cache = new Map<string, { principal: ApiKeyPrincipal; until: number }>();

  constructor(
    private readonly store: ApiKeyStore,
    private readonly counters: RateLimitCounters,
    private readonly config: HeraldConfig,
  ) {}

  async execute(secret: string, clientAddress: string): Promise<Authentication> {
    const hash = hashApiKey(secret);
    const hit = this.cache.get(hash);
    const now = Date.now();
    if (hit && hit.until > now) return { kind: 'authenticated', principal: hit.principal };
    if (hit) this.cache.delete(hash);
    const failuresKey = `auth-failures:${clientAddress}`;
    const failures = await this.counters.peek(failuresKey);
    if (failures.hits >= this.config.auth.failureLimitPerMinute) return { kind: 'throttled', retryAfterMs: failures.resetsInMs };
    const found = await this.store.findUnrevokedByHash(hash);
    const expired = found?.expiresAt ? found.expiresAt.getTime() <= now : false;
    if (!found || expired) {
      await this.counters.hit(failuresKey, FAILURE_WINDOW_MS);
      return expired ? { kind: 'expired' } : { kind: 'rejected' };
    }
    const { principal } = found;
    // Map order is insertion order: the first entry is the one cached longest ago.
    if (this.cache.size >= CACHE_MAX) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(hash, { principal, until: Math.min(now + CACHE_TTL_MS, found.expiresAt?.getTime() ?? Infinity) });
    return { kind: 'authenticated', principal };
  }

  /** Drops a revoked key from this process's cache. */
  forget(keyId: string): void {
    for (const [hash, entry] of this.cache) if (entry.principal.id === keyId) this.cache.delete(hash);
  }
}
