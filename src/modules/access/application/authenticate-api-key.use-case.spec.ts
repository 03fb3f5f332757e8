import type { ApiKeyPrincipal } from '../../../domain/access/api-key';
import { ApiKeyStore, type ApiKeyRecord, type NewApiKey, type UnrevokedApiKey } from '../../../domain/ports/api-key-store.port';
import { RateLimitCounters, type WindowCount } from '../../../domain/ports/rate-limit-counters.port';
import { HeraldConfig } from '../../../infrastructure/config/herald-config';
import { hashApiKey } from './api-key-secret';
import { AuthenticateApiKey } from './authenticate-api-key.use-case';

class CountingStore extends ApiKeyStore {
  lookups = 0;
  constructor(
    private readonly keys: Map<string, ApiKeyPrincipal>,
    readonly expiries = new Map<string, Date>(),
  ) {
    super();
  }
  create(_key: NewApiKey): Promise<Date> {
    throw new Error('not used');
  }
  ensure(_key: NewApiKey): Promise<void> {
    throw new Error('not used');
  }
  async findUnrevokedByHash(hash: string): Promise<UnrevokedApiKey | null> {
    this.lookups++;
    const principal = this.keys.get(hash);
    return principal ? { principal, expiresAt: this.expiries.get(hash) ?? null } : null;
  }
  list(): Promise<ApiKeyRecord[]> {
    throw new Error('not used');
  }
  revoke(_id: string): Promise<ApiKeyRecord | null> {
    throw new Error('not used');
  }
}

class MemoryCounters extends RateLimitCounters {
  readonly hits = new Map<string, number>();
  async hit(key: string): Promise<WindowCount> {
    this.hits.set(key, (this.hits.get(key) ?? 0) + 1);
    return { hits: this.hits.get(key)!, resetsInMs: 42_000 };
  }
  async peek(key: string): Promise<WindowCount> {
    return { hits: this.hits.get(key) ?? 0, resetsInMs: 42_000 };
  }
}

function setUp(failureLimitPerMinute: number) {
  const principal: ApiKeyPrincipal = { id: 'k1', name: 'known', scopes: ['admin'] };
  const store = new CountingStore(new Map([[hashApiKey('known-secret'), principal]]));
  const counters = new MemoryCounters();
  const config = Object.assign(new HeraldConfig(), { auth: { bootstrapApiKey: null, rateLimitPerMinute: 100, failureLimitPerMinute } });
  return { principal, store, counters, authenticate: new AuthenticateApiKey(store, counters, config) };
}

describe('AuthenticateApiKey', () => {
  it('keeps known keys cached however many unknown keys are presented', async () => {
    const { principal, store, authenticate } = setUp(10);
    expect(await authenticate.execute('known-secret', '192.0.2.1')).toEqual({ kind: 'authenticated', principal });
    // More unknown keys than the cache holds, each from its own address so that none is throttled.
    for (let i = 0; i < 2500; i++) expect(await authenticate.execute(`unknown-${i}`, `198.51.${i >> 8}.${i & 255}`)).toEqual({ kind: 'rejected' });
    const before = store.lookups;
    expect(await authenticate.execute('known-secret', '192.0.2.1')).toEqual({ kind: 'authenticated', principal });
    expect(store.lookups).toBe(before);
  });

  it('stops looking up keys from an address past its failure limit, and counts failures per address', async () => {
    const { principal, store, counters, authenticate } = setUp(3);
    for (let i = 0; i < 3; i++) expect(await authenticate.execute(`wrong-${i}`, '203.0.113.7')).toEqual({ kind: 'rejected' });
    expect(store.lookups).toBe(3);
    for (let i = 0; i < 50; i++) expect(await authenticate.execute(`wrong-more-${i}`, '203.0.113.7')).toEqual({ kind: 'throttled', retryAfterMs: 42_000 });
    expect(store.lookups).toBe(3);
    // Another address is unaffected, and so is a key already known from the throttled address.
    expect(await authenticate.execute('wrong-x', '203.0.113.8')).toEqual({ kind: 'rejected' });
    expect(counters.hits.get('auth-failures:203.0.113.8')).toBe(1);
    expect(await authenticate.execute('known-secret', '203.0.113.8')).toEqual({ kind: 'authenticated', principal });
    expect(await authenticate.execute('known-secret', '203.0.113.7')).toEqual({ kind: 'authenticated', principal });
  });

  it('does not count a known key as a failure', async () => {
    const { counters, authenticate } = setUp(3);
    await authenticate.execute('known-secret', '192.0.2.9');
    expect(counters.hits.size).toBe(0);
  });

  it('refuses a key past its expiry as expired, and keeps a key cached no longer than its expiry', async () => {
    const { principal, store, counters, authenticate } = setUp(10);
    store.expiries.set(hashApiKey('known-secret'), new Date(Date.now() + 150));
    expect(await authenticate.execute('known-secret', '192.0.2.1')).toEqual({ kind: 'authenticated', principal });
    await new Promise((r) => setTimeout(r, 200));
    expect(await authenticate.execute('known-secret', '192.0.2.1')).toEqual({ kind: 'expired' });
    expect(store.lookups).toBe(2);
    expect(counters.hits.get('auth-failures:192.0.2.1')).toBe(1);
  });
});
