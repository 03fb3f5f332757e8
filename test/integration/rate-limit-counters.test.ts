import type { DataSource } from 'typeorm';
import { createDataSource, runMigrationsLocked } from '../../src/infrastructure/typeorm/data-source';
import { RateLimitCountersTypeormRepository } from '../../src/infrastructure/typeorm/rate-limit-counters.typeorm-repository';
import { eventually, sleep } from '../support/herald-harness';
import { createTestDatabase } from '../support/test-database';

describe('rate-limit counters in PostgreSQL', () => {
  let db: { url: string; drop: () => Promise<void> };
  let sources: DataSource[];
  beforeAll(async () => {
    db = await createTestDatabase();
    sources = await Promise.all([1, 2].map(() => createDataSource(db.url, 5).initialize()));
    await runMigrationsLocked(sources[0]);
  });
  afterAll(async () => {
    await Promise.all(sources.map((s) => s.destroy()));
    await db.drop();
  });

  it('counts every concurrent hit from two pools exactly once', async () => {
    const [a, b] = sources.map((s) => new RateLimitCountersTypeormRepository(s));
    const results = await Promise.all(Array.from({ length: 60 }, (_, i) => (i % 2 ? a : b).hit('concurrent', 60_000)));
    expect(results.map((r) => r.hits).sort((x, y) => x - y)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    for (const r of results) expect(r.resetsInMs).toBeGreaterThan(0);
    expect((await a.peek('concurrent')).hits).toBe(60);
    expect(await a.peek('never-hit')).toEqual({ hits: 0, resetsInMs: 0 });
  });

  it('starts a new window once the old one ends', async () => {
    const counters = new RateLimitCountersTypeormRepository(sources[0]);
    await counters.hit('short', 50);
    expect((await counters.hit('short', 50)).hits).toBe(2);
    await sleep(120);
    expect((await counters.peek('short')).hits).toBe(0);
    expect((await counters.hit('short', 50)).hits).toBe(1);
  });

  it('deletes expired rows on write', async () => {
    const counters = new RateLimitCountersTypeormRepository(sources[0]);
    await counters.hit('expires-soon', 20);
    await sleep(60);
    const count = async (key: string) => Number((await sources[0].query(`SELECT count(*) AS n FROM rate_limit_counters WHERE key = $1`, [key]))[0].n);
    expect(await count('expires-soon')).toBe(1);
    counters.sweepEveryMs = 0;
    await counters.hit('still-live', 60_000);
    await eventually(async () => ((await count('expires-soon')) === 0 ? true : undefined), 10_000, 'the expired row to be swept');
    expect(await count('still-live')).toBe(1);
  });
});
