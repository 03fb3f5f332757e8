import { Injectable } from '@nestjs/common';
import type { ApiKeyPrincipal } from '../../../domain/access/api-key';
import { ApiKeyStore } from '../../../domain/ports/api-key-store.port';
import { hashApiKey } from './api-key-secret';

const CACHE_TTL_MS = 30_000;
const CACHE_MAX = 1000;

/** Resolves a presented secret to its key. Results are cached briefly, so a revoked key stops working within 30 s. */
@Injectable()
export class AuthenticateApiKey {
  private readonly cache = new Map<string, { principal: ApiKeyPrincipal | null; until: number }>();

  constructor(private readonly store: ApiKeyStore) {}

  async execute(secret: string): Promise<ApiKeyPrincipal | null> {
    const hash = hashApiKey(secret);
    const hit = this.cache.get(hash);
    if (hit && hit.until > Date.now()) return hit.principal;
    const principal = await this.store.findActiveByHash(hash);
    if (this.cache.size >= CACHE_MAX) this.cache.clear();
    this.cache.set(hash, { principal, until: Date.now() + CACHE_TTL_MS });
    return principal;
  }
}
