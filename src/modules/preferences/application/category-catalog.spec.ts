import type { Category } from '../../../domain/preferences/preference-policy';
import { preferenceStoreWith } from '../../../../test/factories/preference-store';
import { CategoryCatalog } from './category-catalog';

const marketing: Category = { name: 'marketing', description: 'news', critical: false, channelDefaults: {} };

/** A store whose category reads are answered by the test, one at a time; any other call fails it. */
function controlledStore() {
  const reads: Array<{ names: string[]; answer: (found: Category[]) => void; fail: (err: Error) => void }> = [];
  const store = preferenceStoreWith(
    {
      getCategories: (names: string[]) =>
        new Promise<Map<string, Category>>((resolve, reject) =>
          reads.push({ names, answer: (found) => resolve(new Map(found.map((c) => [c.name, c]))), fail: reject }),
        ),
    },
    'the catalog',
  );
  return { store, reads };
}

describe('CategoryCatalog', () => {
  it('shares one read among callers that miss the cache together, answering them in the order they asked', async () => {
    const { store, reads } = controlledStore();
    const catalog = new CategoryCatalog(store);
    const order: number[] = [];
    const asked = [1, 2, 3, 4].map((i) => catalog.get('marketing').then((c) => (order.push(i), c)));
    expect(reads).toHaveLength(1);
    reads[0].answer([marketing]);
    expect(await Promise.all(asked)).toEqual([marketing, marketing, marketing, marketing]);
    expect(order).toEqual([1, 2, 3, 4]);
    // Answered from the cache afterwards.
    expect(await catalog.get('marketing')).toEqual(marketing);
    expect(reads).toHaveLength(1);
  });

  it('remembers an unknown category as null, and does not remember a failed read', async () => {
    const { store, reads } = controlledStore();
    const catalog = new CategoryCatalog(store);
    const unknown = catalog.get('nope');
    reads[0].answer([]);
    expect(await unknown).toBeNull();
    expect(await catalog.get('nope')).toBeNull();
    expect(reads).toHaveLength(1);

    const failing = catalog.get('marketing');
    reads[1].fail(new Error('connection reset'));
    await expect(failing).rejects.toThrow('connection reset');
    const retried = catalog.get('marketing');
    expect(reads).toHaveLength(3);
    reads[2].answer([marketing]);
    expect(await retried).toEqual(marketing);
  });
});
