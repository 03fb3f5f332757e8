import { ADMIN_KEY, startHerald, type Herald } from '../support/herald-harness';

/** Every resource written by PUT, with bodies that differ per request (so the last writer decides). */
const PUTS: Array<{ path: string; body: (i: number) => object }> = [
  { path: '/v1/recipients/u-race', body: (i) => ({ email: `race${i}@example.com`, attributes: { i } }) },
  {
    path: '/v1/recipients/u-race/preferences',
    body: (i) => ({ categories: { marketing: { email: i % 2 === 0, sms: true }, news: { push: false } }, optedOutChannels: i % 3 === 0 ? ['sms'] : ['push', 'sms'] }),
  },
  { path: '/v1/categories/race', body: (i) => ({ description: `d${i}`, channelDefaults: { email: i % 2 === 0 } }) },
  { path: '/v1/topics/race', body: (i) => ({ name: `Race ${i}` }) },
  { path: '/v1/templates/race', body: (i) => ({ defaultLocale: 'en', variables: [], locales: { en: { sms: { text: `Version from ${i}` } } } }) },
];

const CONCURRENT = 60;

describe('concurrent PUTs of one resource', () => {
  let herald: Herald;
  const auth = { Authorization: `Bearer ${ADMIN_KEY}` };

  beforeAll(async () => {
    herald = await startHerald({ HERALD_ROLES: 'api', RATE_LIMIT_PER_MINUTE: '100000', DATABASE_POOL_SIZE: '10' });
    await herald.http.put('/v1/categories/marketing').set(auth).send({}).expect(200);
  });
  afterAll(async () => {
    await herald.stop();
  });

  it.each(PUTS.map((p) => [p.path, p]))('%s: every one of them succeeds', async (_path, { path, body }) => {
    const answers = await Promise.all(
      Array.from({ length: CONCURRENT }, (_, i) =>
        herald.http
          .put(path)
          .set(auth)
          .send(body(i))
          .then((r) => r.status),
      ),
    );
    expect(answers.filter((s) => s !== 200)).toEqual([]);
  });

  it('leaves the preferences of exactly one of the concurrent replacements, not a mix', async () => {
    const res = await herald.http.get('/v1/recipients/u-race/preferences').set(auth).expect(200);
    const candidates = Array.from({ length: CONCURRENT }, (_, i) => PUTS[1].body(i) as { categories: object; optedOutChannels: string[] });
    expect(candidates.some((c) => JSON.stringify(c.categories) === JSON.stringify(res.body.categories) && [...c.optedOutChannels].sort().join() === [...res.body.optedOutChannels].sort().join())).toBe(true);
  });
});
