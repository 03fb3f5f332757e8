import { ADMIN_KEY, eventually, startHerald, type Herald } from '../support/herald-harness';

interface Item {
  id: string;
  channel: string;
  category: string | null;
  template: string | null;
  provider: string | null;
  recipient: Record<string, unknown>;
  metadata: Record<string, unknown>;
  status: string;
  createdAt: string;
}
interface Page {
  items: Item[];
  nextCursor: string | null;
}

describe('activity feed: GET /v1/notifications with filters, newest first', () => {
  let herald: Herald;
  const auth = { Authorization: `Bearer ${ADMIN_KEY}` };
  const ids: Record<string, string> = {};
  let fanoutId: string;

  const feed = async (query: string): Promise<Page> => {
    const res = await herald.http.get(`/v1/notifications?${query}`).set(auth);
    expect([res.status, query, res.body.error]).toEqual([200, query, undefined]);
    return res.body as Page;
  };
  const idsOf = async (query: string): Promise<string[]> => (await feed(query)).items.map((n) => n.id);

  async function send(name: string, body: object, idempotencyKey?: string): Promise<void> {
    const req = herald.http.post('/v1/notifications').set(auth);
    if (idempotencyKey) req.set('Idempotency-Key', idempotencyKey);
    ids[name] = (await req.send({ channels: ['email'], ...body }).expect(202)).body.notifications[0].id as string;
  }

  beforeAll(async () => {
    herald = await startHerald();
    herald.smtp.respond = (mail) => (mail.to.some((t) => t.startsWith('refused')) ? { code: 550, message: '5.1.1 mailbox unavailable' } : undefined);
    await herald.http
      .put('/v1/templates/welcome')
      .set(auth)
      .send({ description: 'Welcome', defaultLocale: 'en', variables: [], locales: { en: { email: { subject: 'Welcome', html: '<p>Welcome</p>', text: 'Welcome' } } } })
      .expect(200);
    const literal = (subject: string) => ({ content: { email: { subject, html: `<p>${subject}</p>` } } });
    // In this order, so the newest is `refused`.
    await send('ada1', { recipient: { userId: 'u-ada', email: 'ada@example.com' }, category: 'orders', metadata: { orderId: '1', tenant: 'acme' }, ...literal('Order 1') }, 'order-1');
    await send('ada2', { recipient: { userId: 'u-ada', email: 'ada@example.com' }, category: 'orders', metadata: { orderId: '2', tenant: 'acme' }, ...literal('Order 2') }, 'order-2');
    await send('bob1', { recipient: { userId: 'u-bob', email: 'bob@example.com' }, category: 'news', metadata: { tenant: 'acme' }, template: { key: 'welcome', data: {} } });
    await send('bob2', { recipient: { userId: 'u-bob', email: 'bob@example.com' }, category: 'orders', metadata: { orderId: '3', tenant: 'globex' }, template: { key: 'welcome', data: {} } });
    await send('cy', { recipient: { userId: 'u-cy', phone: '+14155550100' }, channels: ['inapp'], category: 'news', content: { inapp: { title: 'Hello', body: 'Hello' } } });
    await send('refused', { recipient: { email: 'refused@example.com' }, metadata: { orderId: '1', tenant: 'globex' }, ...literal('Refused') });
    await eventually(async () => ((await herald.http.get(`/v1/notifications/${ids.refused}`).set(auth)).body.status === 'failed' ? true : undefined), 20_000, 'refused failed');
    await eventually(async () => ((await herald.http.get(`/v1/notifications/${ids.ada1}`).set(auth)).body.status === 'sent' ? true : undefined), 20_000, 'ada1 sent');

    await herald.http.put('/v1/topics/release').set(auth).send({ name: 'Release notes' }).expect(200);
    await herald.http.post('/v1/topics/release/subscribers').set(auth).send({ userIds: ['u-f1', 'u-f2', 'u-f3'] }).expect(200);
    const fanout = await herald.http.post('/v1/topics/release/notifications').set(auth).send({ channels: ['inapp'], content: { inapp: { title: 'v2', body: 'v2 is out' } } }).expect(202);
    fanoutId = fanout.body.id as string;
    await eventually(async () => ((await herald.http.get(`/v1/fanouts/${fanoutId}`).set(auth)).body.done === true ? true : undefined), 20_000, 'fan-out done');
  });
  afterAll(async () => {
    await herald.stop();
  });

  it('lists every notification newest first (created_at, id) and narrows by each filter', async () => {
    const all = await feed('limit=500');
    expect(all.items).toHaveLength(9);
    const times = all.items.map((n) => Date.parse(n.createdAt));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    expect(all.items.slice(3).map((n) => n.id)).toEqual([ids.refused, ids.cy, ids.bob2, ids.bob1, ids.ada2, ids.ada1]);

    expect(await idsOf('userId=u-ada')).toEqual([ids.ada2, ids.ada1]);
    expect(await idsOf('email=bob%40example.com')).toEqual([ids.bob2, ids.bob1]);
    expect(await idsOf('phone=%2B14155550100')).toEqual([ids.cy]);
    expect(await idsOf('status=failed')).toEqual([ids.refused]);
    expect(await idsOf('status=failed&channel=email')).toEqual([ids.refused]);
    expect(await idsOf('status=failed&channel=inapp')).toEqual([]);
    expect((await idsOf('channel=inapp')).slice(3)).toEqual([ids.cy]);
    expect(await idsOf('category=orders')).toEqual([ids.bob2, ids.ada2, ids.ada1]);
    expect(await idsOf('template=welcome')).toEqual([ids.bob2, ids.bob1]);
    expect(await idsOf('idempotencyKey=order-2')).toEqual([ids.ada2]);
    expect(await idsOf('metadata=orderId%3D1')).toEqual([ids.refused, ids.ada1]);
    expect(await idsOf('metadata=orderId%3D1%2Ctenant%3Dacme')).toEqual([ids.ada1]);
    expect(await idsOf('metadata=tenant%3Dacme&category=news')).toEqual([ids.bob1]);

    const fanned = await feed('topic=release');
    expect(fanned.items.map((n) => n.recipient.userId).sort()).toEqual(['u-f1', 'u-f2', 'u-f3']);
    expect(await idsOf(`fanoutId=${fanoutId}`)).toEqual(fanned.items.map((n) => n.id));
    expect(await idsOf('topic=nobody')).toEqual([]);

    const bob1 = all.items.find((n) => n.id === ids.bob1)!;
    expect(bob1).toMatchObject({ template: 'welcome', category: 'news', metadata: { tenant: 'acme' }, channel: 'email' });
    const window = await idsOf(`createdFrom=${encodeURIComponent(bob1.createdAt)}&createdTo=${encodeURIComponent(all.items.find((n) => n.id === ids.refused)!.createdAt)}`);
    expect(window).toEqual([ids.cy, ids.bob2, ids.bob1]);
  });

  it('filters by the provider of the last attempt', async () => {
    await eventually(async () => ((await idsOf('provider=smtp&category=orders')).length === 3 ? true : undefined), 20_000, 'orders sent by smtp');
    expect(await idsOf('provider=smtp&category=orders')).toEqual([ids.bob2, ids.ada2, ids.ada1]);
    expect(await idsOf('provider=twilio')).toEqual([]);
  });

  it('pages with a keyset cursor under the same filters: every item once, in order', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Page = await feed(`channel=email&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((n) => n.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([ids.refused, ids.bob2, ids.bob1, ids.ada2, ids.ada1]);
  });

  it('refuses malformed filters with 400 and the usual error body', async () => {
    for (const query of [
      'status=bogus',
      'channel=fax',
      'createdFrom=yesterday',
      'createdFrom=2026-12-01T00:00:00Z&createdTo=2026-11-01T00:00:00Z',
      'metadata=orderId',
      'metadata=%3D1',
      'metadata=a%3D1%2C',
      'metadata=a%3D1&metadata=b%3D2',
      'fanoutId=not-a-uuid',
      'limit=0',
      `userId=${'u'.repeat(201)}`,
      'cursor=bm90LWEtY3Vyc29y',
    ]) {
      const res = await herald.http.get(`/v1/notifications?${query}`).set(auth).expect(400);
      expect(res.body.error).toMatchObject({ code: 'validation_failed', message: expect.any(String) });
    }
  });
});
