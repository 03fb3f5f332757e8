import { CreateApiKey } from '../../src/modules/access/application/create-api-key.use-case';
import { ADMIN_KEY, eventually, startHerald, type Herald } from '../support/herald-harness';

const auth = { Authorization: `Bearer ${ADMIN_KEY}` };
// No relay and no worker: fan-outs are created and stay where they are, to be listed.
const FANOUT_ONLY = { HERALD_ROLES: 'api,scheduler', FANOUT_POLL_INTERVAL: '50ms' };

/** Byte order, as Herald lists keys (`COLLATE "C"`), whatever the database's collation. */
const byteOrder = (keys: string[]) => [...keys].sort((a, b) => (Buffer.from(a) < Buffer.from(b) ? -1 : 1));

describe('template, topic and fan-out listings', () => {
  let herald: Herald;
  let readerKey: string;
  let writerKey: string;

  /** Every page of a listing, following nextCursor; fails on a page that repeats what an earlier one gave. */
  async function everyPage<T>(path: string, key: (item: T) => string, query: Record<string, string> = {}): Promise<{ items: T[]; pages: number }> {
    const items: T[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const params = new URLSearchParams({ ...query, ...(cursor ? { cursor } : {}) });
      const res = await herald.http.get(`${path}?${params}`).set(auth).expect(200);
      pages++;
      items.push(...(res.body.items as T[]));
      cursor = res.body.nextCursor as string | null;
      if (pages > 100) throw new Error(`${path}: more than 100 pages`);
    } while (cursor);
    const keys = items.map(key);
    expect(new Set(keys).size).toBe(keys.length);
    return { items, pages };
  }

  /** What a refused request could have changed: every row of the tables behind the three listings. */
  const snapshot = async () =>
    (
      await herald.db.query(
        `SELECT (SELECT json_agg(t ORDER BY key) FROM templates t) AS templates, (SELECT count(*)::int FROM template_versions) AS versions,
                (SELECT json_agg(t ORDER BY key) FROM topics t) AS topics, (SELECT count(*)::int FROM topic_subscriptions) AS subscriptions,
                (SELECT json_agg(f ORDER BY id) FROM topic_fanouts f) AS fanouts`,
      )
    ).rows[0];

  async function refused(path: string, field: string): Promise<void> {
    const before = await snapshot();
    const res = await herald.http.get(path).set(auth);
    expect({ path, status: res.status, code: res.body.error?.code }).toEqual({ path, status: 400, code: 'validation_failed' });
    expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
    expect(await snapshot()).toEqual(before);
  }

  const putTemplate = (key: string, subject: string, locales: Record<string, unknown> = {}) =>
    herald.http
      .put(`/v1/templates/${key}`)
      .set(auth)
      .send({ description: `About ${key}`, defaultLocale: 'en', variables: [], locales: { en: { email: { subject, text: 'Hello' } }, ...locales } })
      .expect(200);

  beforeAll(async () => {
    herald = await startHerald(FANOUT_ONLY);
    readerKey = (await herald.app.get(CreateApiKey).execute({ name: 'reader', scopes: ['notifications:read'] })).secret;
    writerKey = (await herald.app.get(CreateApiKey).execute({ name: 'writer', scopes: ['notifications:write'] })).secret;
  });
  afterAll(() => herald?.stop());

  describe('GET /v1/templates', () => {
    // "_" and "%" would be wildcards to LIKE, "-" and ":" are ignored by some collations: the prefix must not care.
    const KEYS = ['order-shipped', 'order_paid', 'order:refunded', 'orderx', 'order-a', 'welcome', 'a.b', 'zeta-1', 'order-shipped-2', 'or'];

    beforeAll(async () => {
      for (const key of KEYS) await putTemplate(key, `Subject of ${key}`);
      await putTemplate('order-shipped', 'Your order shipped', { fr: { sms: { text: 'Expédiée' } }, de: { push: { title: 'Versandt', body: 'Unterwegs' } } });
    });

    it('pages through every template in key order, each once, with its latest version', async () => {
      const { items, pages } = await everyPage<{ key: string }>('/v1/templates', (t) => t.key, { limit: '3' });
      expect(pages).toBe(4);
      expect(items.map((t) => t.key)).toEqual(byteOrder(KEYS));
      const shipped = items.find((t) => t.key === 'order-shipped');
      expect(shipped).toEqual({
        key: 'order-shipped',
        latestVersion: 2,
        description: 'About order-shipped',
        defaultLocale: 'en',
        locales: ['de', 'en', 'fr'],
        channels: ['email', 'sms', 'push'],
        updatedAt: expect.any(String),
      });
      expect(items.find((t) => t.key === 'welcome')).toMatchObject({ latestVersion: 1, locales: ['en'], channels: ['email'] });
      // The default page holds them all.
      const all = await herald.http.get('/v1/templates').set(auth).expect(200);
      expect({ count: all.body.items.length, nextCursor: all.body.nextCursor }).toEqual({ count: KEYS.length, nextCursor: null });
    });

    it('keeps the templates whose key starts with the prefix, taken literally, and pages within them', async () => {
      const prefixed = async (prefix: string, limit = '2') => (await everyPage<{ key: string }>('/v1/templates', (t) => t.key, { prefix, limit })).items.map((t) => t.key);
      expect(await prefixed('order-')).toEqual(byteOrder(['order-shipped', 'order-a', 'order-shipped-2']));
      expect(await prefixed('order_')).toEqual(['order_paid']);
      expect(await prefixed('order:')).toEqual(['order:refunded']);
      expect(await prefixed('order')).toEqual(byteOrder(KEYS.filter((k) => k.startsWith('order'))));
      expect(await prefixed('order-shipped', '1')).toEqual(['order-shipped', 'order-shipped-2']);
      expect(await prefixed('a.')).toEqual(['a.b']);
      expect(await prefixed('nothing-here')).toEqual([]);
    });

    it('refuses a prefix no key can start with, a limit out of range, a cursor it did not give and an unknown parameter, changing nothing', async () => {
      await refused('/v1/templates?prefix=Order', 'prefix');
      await refused('/v1/templates?prefix=', 'prefix');
      await refused('/v1/templates?prefix=order%25', 'prefix');
      await refused(`/v1/templates?prefix=${'a'.repeat(129)}`, 'prefix');
      await refused('/v1/templates?limit=0', 'limit');
      await refused('/v1/templates?limit=101', 'limit');
      await refused('/v1/templates?limit=two', 'limit');
      await refused('/v1/templates?cursor=%27%3B%20DROP%20TABLE%20templates', 'cursor');
      await refused('/v1/templates?key=order-shipped', 'key');
    });

    it('needs the notifications:read scope', async () => {
      await herald.http.get('/v1/templates').expect(401);
      await herald.http.get('/v1/templates').set({ Authorization: `Bearer ${writerKey}` }).expect(403);
      await herald.http.get('/v1/templates?prefix=welcome').set({ Authorization: `Bearer ${readerKey}` }).expect(200);
    });
  });

  describe('GET /v1/topics and GET /v1/fanouts', () => {
    const TOPICS: Record<string, number> = { 'author:a-1': 3, 'author:a-2': 0, 'author_b': 1, 'authors': 5, 'news': 2, 'author-c': 4, 'z': 1 };

    beforeAll(async () => {
      for (const [key, count] of Object.entries(TOPICS)) {
        await herald.http.put(`/v1/topics/${key}`).set(auth).send({ name: `Topic ${key}` }).expect(200);
        if (count > 0) await herald.http.post(`/v1/topics/${key}/subscribers`).set(auth).send({ userIds: Array.from({ length: count }, (_, i) => `${key}-u${i}`) }).expect(200);
      }
    });

    it('pages through every topic in key order, each once, with its subscriber count', async () => {
      const { items, pages } = await everyPage<{ key: string; name: string; subscriberCount: number }>('/v1/topics', (t) => t.key, { limit: '2' });
      expect(pages).toBe(4);
      expect(items.map((t) => t.key)).toEqual(byteOrder(Object.keys(TOPICS)));
      expect(Object.fromEntries(items.map((t) => [t.key, t.subscriberCount]))).toEqual(TOPICS);
      expect(items.find((t) => t.key === 'news')).toEqual({ key: 'news', name: 'Topic news', subscriberCount: 2, createdAt: expect.any(String) });
      // An unsubscribe shows in the count.
      await herald.http.delete('/v1/topics/news/subscribers/news-u0').set(auth).expect(200);
      const again = await herald.http.get('/v1/topics?limit=500').set(auth).expect(200);
      expect(again.body.items.find((t: { key: string }) => t.key === 'news').subscriberCount).toBe(1);
      await herald.http.post('/v1/topics/news/subscribers').set(auth).send({ userIds: ['news-u0'] }).expect(200);
    });

    it('refuses a limit out of range, a cursor it did not give and an unknown parameter, changing nothing', async () => {
      await refused('/v1/topics?limit=0', 'limit');
      await refused('/v1/topics?limit=501', 'limit');
      await refused('/v1/topics?cursor=NOT%20A%20KEY', 'cursor');
      await refused('/v1/topics?prefix=a', 'prefix');
      await herald.http.get('/v1/topics').set({ Authorization: `Bearer ${writerKey}` }).expect(403);
    });

    it("lists a topic's fan-outs newest first with the progress GET /v1/fanouts/{id} gives, a page at a time", async () => {
      const started: string[] = [];
      for (let i = 0; i < 5; i++) {
        const res = await herald.http
          .post('/v1/topics/author-c/notifications')
          .set(auth)
          .send({ channels: ['email', 'inapp'], content: { email: { subject: `Issue ${i}`, text: 'News' }, inapp: { title: `Issue ${i}`, body: 'News' } } })
          .expect(202);
        started.push(res.body.id as string);
      }
      await herald.http.post('/v1/topics/news/notifications').set(auth).send({ channels: ['email'], content: { email: { subject: 'Other topic', text: 'News' } } }).expect(202);
      const progressOf = async (id: string) => (await herald.http.get(`/v1/fanouts/${id}`).set(auth).expect(200)).body;
      await eventually(async () => ((await Promise.all(started.map(progressOf))).every((f) => f.done) ? true : undefined), 30_000, 'every fan-out done');

      const { items, pages } = await everyPage<{ id: string }>('/v1/fanouts', (f) => f.id, { topic: 'author-c', limit: '2' });
      expect(pages).toBe(3);
      expect(items.map((f) => f.id)).toEqual([...started].reverse());
      expect(items).toEqual(await Promise.all([...started].reverse().map(progressOf)));
      expect(items[0]).toMatchObject({ topicKey: 'author-c', channels: ['email', 'inapp'], total: 8, created: 8, done: true, finishedAt: expect.any(String) });

      const other = await herald.http.get('/v1/fanouts?topic=news').set({ Authorization: `Bearer ${readerKey}` }).expect(200);
      expect(other.body.items).toHaveLength(1);
      expect(other.body).toMatchObject({ items: [{ topicKey: 'news', total: 2 }], nextCursor: null });
      // A topic with no fan-out yet has an empty list; no topic at all is a 404, as for its subscribers.
      expect((await herald.http.get('/v1/fanouts?topic=author:a-2').set(auth).expect(200)).body).toEqual({ items: [], nextCursor: null });
      const missing = await herald.http.get('/v1/fanouts?topic=nobody').set(auth).expect(404);
      expect(missing.body.error.code).toBe('topic_not_found');
    });

    it('refuses a missing or malformed topic, a limit out of range and a cursor it did not give, changing nothing', async () => {
      await refused('/v1/fanouts', 'topic');
      await refused('/v1/fanouts?topic=', 'topic');
      await refused('/v1/fanouts?topic=Author', 'topic');
      await refused('/v1/fanouts?topic=author-c&limit=0', 'limit');
      await refused('/v1/fanouts?topic=author-c&limit=101', 'limit');
      await refused('/v1/fanouts?topic=author-c&cursor=bm90LWEtY3Vyc29y', 'cursor');
      await refused(`/v1/fanouts?topic=author-c&cursor=${'x'.repeat(201)}`, 'cursor');
      await herald.http.get('/v1/fanouts?topic=author-c').expect(401);
      await herald.http.get('/v1/fanouts?topic=author-c').set({ Authorization: `Bearer ${writerKey}` }).expect(403);
    });
  });
});
