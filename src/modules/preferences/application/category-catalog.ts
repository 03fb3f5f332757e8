import { Injectable } from '@nestjs/common';
import type { Category } from '../../../domain/preferences/preference-policy';
import { PreferenceStore } from '../../../domain/ports/preference-store.port';

const TTL_MS = 5_000;

/** Categories for the per-message send path: read through a short cache, since they rarely change. */
@Injectable()
export class CategoryCatalog {
  private readonly cache = new Map<string, { value: Category | null; until: number }>();

  constructor(private readonly store: PreferenceStore) {}

  async get(name: string): Promise<Category | null> {
    const hit = this.cache.get(name);
    if (hit && hit.until > Date.now()) return hit.value;
    const value = (await this.store.getCategories([name])).get(name) ?? null;
    this.cache.set(name, { value, until: Date.now() + TTL_MS });
    return value;
  }
}
