import { Injectable } from '@nestjs/common';
import type { Category } from '../../../domain/preferences/preference-policy';
import { PreferenceStore } from '../../../domain/ports/preference-store.port';

const TTL_MS = 5_000;

/**
 * Categories for the per-message send path: read through a short cache, since they rarely change. Callers
 * that miss the cache together share one read (a wave of sends would otherwise make one query per message),
 * and get its answer in the order they asked.
 */
@Injectable()
export class CategoryCatalog {
  private readonly cache = new Map<string, { value: Promise<Category | null>; until: number }>();

  constructor(private readonly store: PreferenceStore) {}

  get(name: string): Promise<Category | null> {
    const hit = this.cache.get(name);
    if (hit && hit.until > Date.now()) return hit.value;
    const entry = { value: this.store.getCategories([name]).then((found) => found.get(name) ?? null), until: Number.POSITIVE_INFINITY };
    this.cache.set(name, entry);
    void entry.value.then(
      () => (entry.until = Date.now() + TTL_MS),
      () => {
        // A failed read is not remembered: the next caller asks again.
        if (this.cache.get(name) === entry) this.cache.delete(name);
      },
    );
    return entry.value;
  }
}
