import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';
import { HeraldInbox, type HeraldError, type InboxItem } from '../../packages/sdk/src/index';
import { createInboxToken } from '../../packages/sdk/src/server';
import { signInboxToken } from '../../src/domain/access/inbox-token';
import { CreateApiKey } from '../../src/modules/access/application/create-api-key.use-case';
import { ADMIN_KEY, eventually, sleep, startHerald, type Herald } from '../support/herald-harness';
import { launchChromium } from '../support/console-browser';
import { browserSubscription, startPushService, vapidKeys } from '../support/peers/web-push-peer';
import { HttpPeer } from '../support/peers/http-peer';
import { SseClient, type SseEvent } from '../support/sse-client';

const SECRET = `inbox-token-secret-${'s'.repeat(32)}`;
const APP_ORIGIN = 'https://app.example.test';
const admin = { Authorization: `Bearer ${ADMIN_KEY}` };
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

async function listen(herald: Herald): Promise<string> {
  const server = herald.app.getHttpServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function tokenFor(herald: Herald, userId: string, expiresInSeconds?: number): Promise<string> {
  const res = await herald.http.post('/v1/inbox/tokens').set(admin).send({ userId, ...(expiresInSeconds ? { expiresInSeconds } : {}) }).expect(201);
  return res.body.token as string;
}

/** Sends an in-app notification through the public API; resolves once its item is stored, with the item's id. */
async function deliverInApp(herald: Herald, userId: string, title: string, category = 'orders'): Promise<string> {
  const res = await herald.http
    .post('/v1/notifications')
    .set(admin)
    .send({ recipient: { userId }, channels: ['inapp'], category, content: { inapp: { title, body: `${title} body` } } })
    .expect(202);
  const notificationId = res.body.notifications[0].id as string;
  return eventually(async () => {
    const { rows } = await herald.db.query(`SELECT id FROM inbox_items WHERE notification_id = $1`, [notificationId]);
    return rows[0]?.id as string | undefined;
  }, 30_000, `inbox item of ${title}`);
}

const items = (events: SseEvent[]) => events.filter((e) => e.event === 'inbox.item').map((e) => ({ id: e.id, item: JSON.parse(e.data) as InboxItem }));
const lastOf = (events: SseEvent[], name: string) => [...events].reverse().find((e) => e.event === name);

/** A TCP relay to Herald whose connections can be cut, and new ones refused, as a flaky network does. */
class CuttableRelay {
  private readonly sockets = new Set<Socket>();
  refusing = false;
  private constructor(private readonly server: Server, readonly url: string) {}

  static async start(target: string): Promise<CuttableRelay> {
    const { hostname, port } = new URL(target);
    let relay: CuttableRelay | undefined;
    const server = createServer((client) => {
      if (relay!.refusing) return client.destroy();
      const upstream = connect(Number(port), hostname);
      for (const s of [client, upstream]) {
        relay!.sockets.add(s);
        s.on('close', () => relay!.sockets.delete(s));
        s.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    relay = new CuttableRelay(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    return relay;
  }

  cut(): void {
    for (const s of this.sockets) s.destroy();
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

describe('the inbox from the browser, with user tokens', () => {
  let herald: Herald;
  let baseUrl: string;
  let pushService: HttpPeer;
  /** Pages of two other origins, for Chromium: the first is allowed. */
  let allowedSite: HttpPeer;
  let otherSite: HttpPeer;

  beforeAll(async () => {
    pushService = await startPushService();
    const page = () => ({ status: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, body: '<!doctype html><title>app</title><p>app</p>' });
    [allowedSite, otherSite] = await Promise.all([HttpPeer.start(page), HttpPeer.start(page)]);
    const vapid = vapidKeys();
    herald = await startHerald({
      INBOX_TOKEN_SECRET: SECRET,
      INBOX_ALLOWED_ORIGINS: `${APP_ORIGIN},http://localhost:5173,${allowedSite.url}`,
      INBOX_SSE_HEARTBEAT: '1s',
      INBOX_MAX_STREAMS_PER_USER: '10',
      VAPID_PUBLIC_KEY: vapid.publicKey,
      VAPID_PRIVATE_KEY: vapid.privateKey,
      VAPID_SUBJECT: 'mailto:ops@herald.test',
    });
    baseUrl = await listen(herald);
  });
  afterAll(async () => {
    await herald?.stop();
    await Promise.all([pushService, allowedSite, otherSite].map((p) => p?.close()));
  });

  it('POST /v1/inbox/tokens mints a token for one user (notifications:write), one hour by default, at most a day', async () => {
    const before = Date.now();
    const res = await herald.http.post('/v1/inbox/tokens').set(admin).send({ userId: 'u-mint' }).expect(201);
    const after = Date.now();
    expect(res.body.token).toMatch(/^hut1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    // Whole seconds: the expiry is the minting second plus the lifetime.
    expect(Date.parse(res.body.expiresAt)).toBeGreaterThan(before + 3_599_000 - 1);
    expect(Date.parse(res.body.expiresAt)).toBeLessThanOrEqual(after + 3_600_000);
    const payload = JSON.parse(Buffer.from(res.body.token.split('.')[1], 'base64url').toString('utf8'));
    expect(payload).toEqual({ sub: 'u-mint', exp: Date.parse(res.body.expiresAt) / 1000, scope: 'inbox' });
    expect((await herald.http.get('/v1/inbox/counts').set(bearer(res.body.token))).body).toEqual({ unread: 0, unseen: 0 });

    // null, like an absent lifetime, is the default hour.
    const nulled = await herald.http.post('/v1/inbox/tokens').set(admin).send({ userId: 'u-mint', expiresInSeconds: null }).expect(201);
    expect(Date.parse(nulled.body.expiresAt)).toBeLessThanOrEqual(Date.now() + 3_600_000);
    expect(Date.parse(nulled.body.expiresAt)).toBeGreaterThan(before + 3_599_000 - 1);

    const day = await herald.http.post('/v1/inbox/tokens').set(admin).send({ userId: 'u-mint', expiresInSeconds: 86_400 }).expect(201);
    expect(Date.parse(day.body.expiresAt) - before).toBeGreaterThan(86_398_000);
    for (const body of [{ userId: 'u-mint', expiresInSeconds: 86_401 }, { userId: 'u-mint', expiresInSeconds: 0 }, { userId: 'has space' }, {}]) {
      const refused = await herald.http.post('/v1/inbox/tokens').set(admin).send(body);
      expect([refused.status, refused.body.error.code]).toEqual([400, 'validation_failed']);
    }
    const reader = await herald.app.get(CreateApiKey).execute({ name: 'reader', scopes: ['notifications:read'] });
    expect((await herald.http.post('/v1/inbox/tokens').set(bearer(reader.secret)).send({ userId: 'u-mint' })).status).toBe(403);
  });

  it("a token for user A cannot read or change B's inbox or B's preferences", async () => {
    const [tokenA, tokenB] = [await tokenFor(herald, 'u-alice'), await tokenFor(herald, 'u-bob')];
    const bobItem = await deliverInApp(herald, 'u-bob', 'For Bob');
    const aliceItem = await deliverInApp(herald, 'u-alice', 'For Alice');

    const alice = await herald.http.get('/v1/inbox/items').set(bearer(tokenA)).expect(200);
    expect(alice.body.items.map((i: InboxItem) => i.id)).toEqual([aliceItem]);
    for (const query of ['?filter=archived', '?filter=unread', '?category=orders']) {
      const page = await herald.http.get(`/v1/inbox/items${query}`).set(bearer(tokenA)).expect(200);
      expect(page.body.items.every((i: InboxItem) => i.userId === 'u-alice')).toBe(true);
    }
    // Bob's item, named by Alice's token: not found, and nothing about it changes.
    for (const mark of ['read', 'unread', 'seen', 'archive', 'unarchive']) {
      const res = await herald.http.post(`/v1/inbox/items/${bobItem}/${mark}`).set(bearer(tokenA));
      expect([res.status, res.body.error.code]).toEqual([404, 'inbox_item_not_found']);
    }
    expect((await herald.http.post('/v1/inbox/read-all').set(bearer(tokenA)).expect(200)).body).toEqual({ updated: 1 });
    expect((await herald.http.post('/v1/inbox/archive-all').set(bearer(tokenA)).expect(200)).body).toEqual({ updated: 1 });
    const { rows } = await herald.db.query(`SELECT read_at, seen_at, archived_at FROM inbox_items WHERE id = $1`, [bobItem]);
    expect(rows).toEqual([{ read_at: null, seen_at: null, archived_at: null }]);
    expect((await herald.http.get('/v1/inbox/counts').set(bearer(tokenB))).body).toEqual({ unread: 1, unseen: 1 });

    // Preferences: each token reaches its own user's only.
    await herald.http.put('/v1/categories/news').set(admin).send({ description: 'News' }).expect(200);
    const put = await herald.http.put('/v1/inbox/preferences').set(bearer(tokenA)).send({ categories: { news: { email: false } }, optedOutChannels: ['sms'] }).expect(200);
    expect(put.body).toMatchObject({ userId: 'u-alice', categories: { news: { email: false } }, optedOutChannels: ['sms'] });
    expect((await herald.http.get('/v1/recipients/u-bob/preferences').set(admin)).body).toMatchObject({ userId: 'u-bob', categories: {}, optedOutChannels: [] });
    expect((await herald.http.get('/v1/inbox/preferences').set(bearer(tokenB))).body).toMatchObject({ userId: 'u-bob', categories: {}, optedOutChannels: [] });
    expect((await herald.http.get('/v1/recipients/u-alice/preferences').set(admin)).body).toMatchObject({ categories: { news: { email: false } } });

    // A query or body naming another user changes nothing: the user is the token's.
    const sneaky = await herald.http.get('/v1/inbox/items?userId=u-bob').set(bearer(tokenA));
    expect(sneaky.status).toBe(400);
    const sneakyPut = await herald.http.put('/v1/inbox/preferences').set(bearer(tokenA)).send({ userId: 'u-bob', categories: {}, optedOutChannels: [] });
    expect(sneakyPut.status).toBe(400);
    expect((await herald.http.get('/v1/recipients/u-alice/preferences').set(admin)).body.optedOutChannels).toEqual(['sms']);
  });

  it('expired, tampered, wrong-secret and over-long tokens get 401, and so does no token', async () => {
    const now = Date.now();
    const expired = signInboxToken({ secret: SECRET, userId: 'u-alice', expiresAt: new Date(now - 120_000) });
    const good = await tokenFor(herald, 'u-alice');
    const [, payload, signature] = good.split('.');
    const forged = Buffer.from(JSON.stringify({ sub: 'u-bob', exp: Math.floor(now / 1000) + 600, scope: 'inbox' })).toString('base64url');
    const wrongSecret = (await createInboxToken({ secret: `another-secret-${'z'.repeat(32)}`, userId: 'u-alice' })).token;
    const tooLong = signInboxToken({ secret: SECRET, userId: 'u-alice', expiresAt: new Date(now + 3 * 86_400_000) });
    const cases: Array<[string | null, string]> = [
      [expired, 'user_token_expired'],
      [`hut1.${forged}.${signature}`, 'unauthenticated'],
      [`hut1.${payload}.${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BB' : 'AA'}`, 'unauthenticated'],
      [wrongSecret, 'unauthenticated'],
      [tooLong, 'unauthenticated'],
      ['hut1.garbage', 'unauthenticated'],
      [null, 'unauthenticated'],
    ];
    for (const [token, code] of cases) {
      for (const [method, path] of [['get', '/v1/inbox/items'], ['get', '/v1/inbox/counts'], ['post', '/v1/inbox/read-all'], ['get', '/v1/inbox/preferences'], ['get', '/v1/inbox/stream']] as const) {
        const req = herald.http[method](path);
        const res = token ? await req.set(bearer(token)) : await req;
        expect({ token: token?.slice(0, 12), path, status: res.status, code: res.body.error?.code }).toEqual({ token: token?.slice(0, 12), path, status: 401, code });
      }
    }
    // The SDK's token, signed with Herald's secret, is accepted.
    const fromSdk = (await createInboxToken({ secret: SECRET, userId: 'u-alice', expiresInSeconds: 60 })).token;
    expect((await herald.http.get('/v1/inbox/counts').set(bearer(fromSdk))).status).toBe(200);
  });

  it('an API key is refused on the user-token routes, and a user token everywhere else', async () => {
    const token = await tokenFor(herald, 'u-alice');
    for (const [method, path] of [['get', '/v1/inbox/items'], ['get', '/v1/inbox/counts'], ['post', '/v1/inbox/read-all'], ['get', '/v1/inbox/stream'], ['put', '/v1/inbox/preferences']] as const) {
      const res = await herald.http[method](path).set(admin).send(method === 'put' ? { categories: {}, optedOutChannels: [] } : undefined);
      expect({ path, status: res.status, code: res.body.error?.code }).toEqual({ path, status: 401, code: 'user_token_required' });
    }
    for (const [method, path] of [
      ['get', '/v1/notifications'],
      ['post', '/v1/notifications'],
      ['get', '/v1/users/u-alice/inbox'],
      ['get', '/v1/recipients/u-alice/preferences'],
      ['post', '/v1/inbox/tokens'],
      ['get', '/v1/api-keys/self'],
    ] as const) {
      const res = await herald.http[method](path).set(bearer(token)).send(method === 'post' ? { userId: 'u-alice' } : undefined);
      expect({ path, status: res.status, code: res.body.error?.code }).toEqual({ path, status: 401, code: 'unauthenticated' });
    }
    const notify = await herald.http
      .post('/v1/notifications')
      .set(bearer(token))
      .send({ recipient: { userId: 'u-alice' }, channels: ['inapp'], content: { inapp: { title: 'x', body: 'y' } } });
    expect(notify.status).toBe(401);
  });

  it('counts and marks: seen, read, unread, archive, unarchive, the bulk marks, filters, categories and pages', async () => {
    const token = await tokenFor(herald, 'u-marks');
    const user = bearer(token);
    const ids = [];
    for (const [title, category] of [['one', 'orders'], ['two', 'orders'], ['three', 'news'], ['four', 'news']]) ids.push(await deliverInApp(herald, 'u-marks', title, category));
    const counts = async () => (await herald.http.get('/v1/inbox/counts').set(user).expect(200)).body;
    const list = async (query = '') => (await herald.http.get(`/v1/inbox/items${query}`).set(user).expect(200)).body;
    expect(await counts()).toEqual({ unread: 4, unseen: 4 });

    const all = await list();
    expect(all.items.map((i: InboxItem) => i.id)).toEqual([...ids].reverse());
    expect(all.items.map((i: InboxItem) => i.sequence)).toEqual([4, 3, 2, 1]);
    expect(all.items[0]).toMatchObject({ userId: 'u-marks', title: 'four', body: 'four body', category: 'news', readAt: null, seenAt: null, archivedAt: null, actionUrl: null });

    await herald.http.post(`/v1/inbox/items/${ids[0]}/seen`).set(user).expect(204);
    expect(await counts()).toEqual({ unread: 4, unseen: 3 });
    await herald.http.post(`/v1/inbox/items/${ids[1]}/read`).set(user).expect(204);
    await herald.http.post(`/v1/inbox/items/${ids[1]}/read`).set(user).expect(204);
    expect(await counts()).toEqual({ unread: 3, unseen: 2 });
    await herald.http.post(`/v1/inbox/items/${ids[1]}/unread`).set(user).expect(204);
    expect(await counts()).toEqual({ unread: 4, unseen: 2 });
    expect((await list('?filter=unseen')).items.map((i: InboxItem) => i.id)).toEqual([ids[3], ids[2]]);
    await herald.http.post(`/v1/inbox/items/${ids[1]}/read`).set(user).expect(204);
    expect((await list('?filter=unread')).items.map((i: InboxItem) => i.id)).toEqual([ids[3], ids[2], ids[0]]);

    await herald.http.post(`/v1/inbox/items/${ids[3]}/archive`).set(user).expect(204);
    expect(await counts()).toEqual({ unread: 2, unseen: 1 });
    expect((await list()).items.map((i: InboxItem) => i.id)).toEqual([ids[2], ids[1], ids[0]]);
    expect((await list('?filter=archived')).items).toEqual([expect.objectContaining({ id: ids[3], archivedAt: expect.any(String) })]);
    expect((await list('?category=news')).items.map((i: InboxItem) => i.id)).toEqual([ids[2]]);
    await herald.http.post(`/v1/inbox/items/${ids[3]}/unarchive`).set(user).expect(204);
    expect(await counts()).toEqual({ unread: 3, unseen: 2 });

    const first = await list('?limit=3');
    expect(first.items.map((i: InboxItem) => i.id)).toEqual([ids[3], ids[2], ids[1]]);
    expect(first.nextCursor).toBe('2');
    const second = await list(`?limit=3&cursor=${first.nextCursor}`);
    expect([second.items.map((i: InboxItem) => i.id), second.nextCursor]).toEqual([[ids[0]], null]);

    expect((await herald.http.post('/v1/inbox/seen-all').set(user).expect(200)).body).toEqual({ updated: 2 });
    expect(await counts()).toEqual({ unread: 3, unseen: 0 });
    expect((await herald.http.post('/v1/inbox/read-all').set(user).expect(200)).body).toEqual({ updated: 3 });
    expect((await herald.http.post('/v1/inbox/read-all').set(user).expect(200)).body).toEqual({ updated: 0 });
    expect((await herald.http.post('/v1/inbox/archive-all').set(user).expect(200)).body).toEqual({ updated: 4 });
    expect(await counts()).toEqual({ unread: 0, unseen: 0 });
    expect((await list()).items).toEqual([]);
    expect((await list('?filter=archived')).items).toHaveLength(4);

    // Bad input: a clear 400, or 404 for an id the user does not have; nothing changes.
    for (const query of ['?filter=everything', '?cursor=abc', '?cursor=0', '?limit=0', '?limit=101', '?category=Not%20A%20Name']) {
      const res = await herald.http.get(`/v1/inbox/items${query}`).set(user);
      expect({ query, status: res.status, code: res.body.error.code }).toEqual({ query, status: 400, code: 'validation_failed' });
    }
    for (const id of ['not-a-uuid', '0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b']) {
      expect((await herald.http.post(`/v1/inbox/items/${id}/unarchive`).set(user)).status).toBe(404);
    }
    expect((await list('?filter=archived')).items).toHaveLength(4);
  });

  it('the stream: a notification sent through POST /v1/notifications arrives live, with the counts after it; marks update the counts', async () => {
    const token = await tokenFor(herald, 'u-live');
    const stream = SseClient.open(`${baseUrl}/v1/inbox/stream`, bearer(token));
    try {
      await eventually(() => lastOf(stream.events, 'inbox.counts'), 15_000, 'ready and counts');
      expect(stream.status).toBe(200);
      expect(stream.contentType).toContain('text/event-stream');
      expect(stream.events.filter((e) => e.event !== 'heartbeat').slice(0, 2)).toEqual([
        { event: 'ready', id: '0', data: JSON.stringify({ userId: 'u-live' }) },
        { event: 'inbox.counts', id: '0', data: JSON.stringify({ unread: 0, unseen: 0 }) },
      ]);

      const id = await deliverInApp(herald, 'u-live', 'Shipped');
      const [arrived] = await eventually(() => (items(stream.events).length ? items(stream.events) : undefined), 30_000, 'live item');
      expect(arrived).toEqual({ id: '1', item: expect.objectContaining({ id, userId: 'u-live', title: 'Shipped', sequence: 1, readAt: null, seenAt: null }) });
      await eventually(() => (lastOf(stream.events, 'inbox.counts')?.data === JSON.stringify({ unread: 1, unseen: 1 }) ? true : undefined), 10_000, 'counts after the item');

      await herald.http.post(`/v1/inbox/items/${id}/seen`).set(bearer(token)).expect(204);
      await eventually(() => (lastOf(stream.events, 'inbox.counts')?.data === JSON.stringify({ unread: 1, unseen: 0 }) ? true : undefined), 10_000, 'counts after seen');
      // A mark made with an API key on the user's behalf reaches the stream too.
      await herald.http.post(`/v1/users/u-live/inbox/${id}/read`).set(admin).expect(204);
      await eventually(() => (lastOf(stream.events, 'inbox.counts')?.data === JSON.stringify({ unread: 0, unseen: 0 }) ? true : undefined), 10_000, 'counts after read');
      // Heartbeats keep coming, carrying the position.
      await eventually(() => (stream.events.some((e) => e.event === 'heartbeat' && e.id === '1') ? true : undefined), 5_000, 'heartbeat');
      // Another user's items never reach this stream.
      await deliverInApp(herald, 'u-live-other', 'Not yours');
      await sleep(500);
      expect(items(stream.events)).toHaveLength(1);
    } finally {
      stream.close();
    }
  });

  it('after a dropped connection, Last-Event-ID delivers the items missed, each exactly once, then live ones', async () => {
    const token = await tokenFor(herald, 'u-resume');
    const before = await deliverInApp(herald, 'u-resume', 'before');
    const first = SseClient.open(`${baseUrl}/v1/inbox/stream`, bearer(token));
    await eventually(() => (first.events.some((e) => e.event === 'ready') ? true : undefined), 15_000, 'first stream ready');
    expect(lastOf(first.events, 'ready')!.id).toBe('1');
    const one = await deliverInApp(herald, 'u-resume', 'one');
    await eventually(() => (items(first.events).length === 1 ? true : undefined), 30_000, 'item one');
    expect(items(first.events).map((e) => e.item.id)).toEqual([one]);
    const lastId = items(first.events)[0].id!;
    first.close();

    // While no stream is open: two items stored, one of them marked.
    const two = await deliverInApp(herald, 'u-resume', 'two');
    const three = await deliverInApp(herald, 'u-resume', 'three');
    await herald.http.post(`/v1/inbox/items/${two}/read`).set(bearer(token)).expect(204);

    const second = SseClient.open(`${baseUrl}/v1/inbox/stream`, { ...bearer(token), 'Last-Event-ID': lastId });
    try {
      await eventually(() => (second.events.some((e) => e.event === 'ready') ? true : undefined), 15_000, 'resumed stream ready');
      const caughtUp = second.events.slice(0, second.events.findIndex((e) => e.event === 'ready')).filter((e) => e.event !== 'heartbeat');
      expect(caughtUp.map((e) => [e.event, e.id])).toEqual([
        ['inbox.item', '3'],
        ['inbox.item', '4'],
      ]);
      expect(items(caughtUp).map((e) => [e.item.id, e.item.readAt === null])).toEqual([
        [two, false],
        [three, true],
      ]);
      expect(lastOf(second.events, 'ready')!.id).toBe('4');
      const four = await deliverInApp(herald, 'u-resume', 'four');
      await eventually(() => (items(second.events).length === 3 ? true : undefined), 30_000, 'live item four');
      await sleep(1_500);
      expect(items(second.events).map((e) => e.item.id)).toEqual([two, three, four]);
      expect(items(second.events).map((e) => e.item.id)).not.toContain(before);
    } finally {
      second.close();
    }

    // From the newest item a page listed: exactly what came after it.
    const third = SseClient.open(`${baseUrl}/v1/inbox/stream`, { ...bearer(token), 'Last-Event-ID': '4' });
    try {
      await eventually(() => (third.events.some((e) => e.event === 'ready') ? true : undefined), 15_000, 'third ready');
      expect(items(third.events).map((e) => e.id)).toEqual(['5']);
    } finally {
      third.close();
    }
    const bad = await herald.http.get('/v1/inbox/stream').set({ ...bearer(token), 'Last-Event-ID': 'abc' });
    expect([bad.status, bad.body.error.code]).toEqual([400, 'validation_failed']);
  });

  it('items stored side by side by the workers reach the stream in sequence order, with no gap, each once', async () => {
    const token = await tokenFor(herald, 'u-burst');
    const stream = SseClient.open(`${baseUrl}/v1/inbox/stream`, bearer(token));
    try {
      await eventually(() => (stream.events.some((e) => e.event === 'ready') ? true : undefined), 15_000, 'ready');
      const items30 = Array.from({ length: 30 }, (_, i) => ({ recipient: { userId: 'u-burst' }, channels: ['inapp'], content: { inapp: { title: `burst ${i}`, body: 'b' } } }));
      await herald.http.post('/v1/notifications/batch').set(admin).send({ items: items30 }).expect(202);
      await eventually(() => (items(stream.events).length >= 30 ? true : undefined), 60_000, 'thirty items');
      await sleep(500);
      const streamed = items(stream.events);
      expect(streamed.map((e) => Number(e.id))).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
      const { rows } = await herald.db.query(`SELECT id FROM inbox_items WHERE user_id = 'u-burst' ORDER BY sequence`);
      expect(streamed.map((e) => e.item.id)).toEqual(rows.map((r: { id: string }) => r.id));
    } finally {
      stream.close();
    }
    const resumed = SseClient.open(`${baseUrl}/v1/inbox/stream`, { ...bearer(token), 'Last-Event-ID': '12' });
    try {
      await eventually(() => (resumed.events.some((e) => e.event === 'ready') ? true : undefined), 15_000, 'resumed ready');
      expect(items(resumed.events).map((e) => Number(e.id))).toEqual(Array.from({ length: 18 }, (_, i) => i + 13));
    } finally {
      resumed.close();
    }
  });

  it('a stream ends when its token stops being accepted (its expiry plus the skew); the token then opens none', async () => {
    // Expired 57 s ago: within the 60 s of clock skew allowed, so accepted for about 3 s more.
    const expiresAt = new Date(Math.floor(Date.now() / 1000) * 1000 - 57_000);
    const token = signInboxToken({ secret: SECRET, userId: 'u-short', expiresAt });
    const stream = SseClient.open(`${baseUrl}/v1/inbox/stream`, bearer(token));
    try {
      await eventually(() => (stream.events.some((e) => e.event === 'ready') ? true : undefined), 15_000, 'ready');
      await eventually(() => (stream.ended ? true : undefined), 10_000, 'the stream to end');
      expect(Date.now()).toBeGreaterThanOrEqual(expiresAt.getTime() + 60_000 - 50);
      expect(Date.now()).toBeLessThan(expiresAt.getTime() + 62_000);
      const again = await herald.http.get('/v1/inbox/stream').set(bearer(token));
      expect([again.status, again.body.error.code]).toEqual([401, 'user_token_expired']);
    } finally {
      stream.close();
    }
  });

  it('the SDK stream reconnects through a cut connection and delivers every item once, in order', async () => {
    const relay = await CuttableRelay.start(baseUrl);
    const inbox = new HeraldInbox({ baseUrl: relay.url, token: () => tokenFor(herald, 'u-sdk'), retryDelay: { baseMs: 100, maxMs: 500 } });
    const received: InboxItem[] = [];
    const counts: Array<{ unread: number; unseen: number }> = [];
    const errors: Array<[string, boolean]> = [];
    let readies = 0;
    const stream = inbox.stream({
      onItem: (item) => received.push(item),
      onCounts: (c) => counts.push(c),
      onReady: () => readies++,
      onError: (error: HeraldError, willRetry) => errors.push([error.code, willRetry]),
    });
    try {
      await eventually(() => (readies === 1 ? true : undefined), 15_000, 'SDK stream ready');
      const one = await deliverInApp(herald, 'u-sdk', 'one');
      await eventually(() => (received.length === 1 ? true : undefined), 30_000, 'item one');
      relay.refusing = true;
      relay.cut();
      const two = await deliverInApp(herald, 'u-sdk', 'two');
      const three = await deliverInApp(herald, 'u-sdk', 'three');
      await eventually(() => (errors.length > 0 ? true : undefined), 10_000, 'a failed reconnect');
      relay.refusing = false;
      await eventually(() => (readies === 2 ? true : undefined), 15_000, 'reconnected');
      const four = await deliverInApp(herald, 'u-sdk', 'four');
      await eventually(() => (received.length === 4 ? true : undefined), 30_000, 'item four');
      await sleep(1_000);
      expect(received.map((i) => i.id)).toEqual([one, two, three, four]);
      expect(stream.lastEventId).toBe('4');
      expect(errors.every(([code, willRetry]) => code === 'connection_failed' && willRetry)).toBe(true);
      expect(counts.at(-1)).toEqual({ unread: 4, unseen: 4 });
      // The rest of the client, through the same token function.
      expect((await inbox.list({ limit: 2 })).items.map((i) => i.id)).toEqual([four, three]);
      await inbox.markSeen(one);
      await inbox.markRead(two);
      expect(await inbox.counts()).toEqual({ unread: 3, unseen: 2 });
      expect(await inbox.markAllSeen()).toBe(2);
    } finally {
      stream.close();
      await stream.done;
      await relay.close();
    }
  });

  it('CORS: a listed origin gets the grant on the preflight and on the answer; another origin and the rest of the API get none', async () => {
    const token = await tokenFor(herald, 'u-cors');
    const preflight = await herald.http
      .options('/v1/inbox/items')
      .set({ Origin: APP_ORIGIN, 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'authorization,last-event-id' });
    expect(preflight.status).toBe(204);
    expect(preflight.headers).toMatchObject({
      'access-control-allow-origin': APP_ORIGIN,
      'access-control-allow-methods': 'GET, POST, PUT, DELETE',
      'access-control-allow-headers': 'Authorization, Content-Type, Last-Event-ID',
      vary: expect.stringContaining('Origin'),
    });
    expect(preflight.headers['access-control-allow-credentials']).toBeUndefined();

    const get = await herald.http.get('/v1/inbox/items').set({ Origin: APP_ORIGIN, ...bearer(token) }).expect(200);
    expect(get.headers['access-control-allow-origin']).toBe(APP_ORIGIN);
    expect(get.headers['access-control-expose-headers']).toContain('Retry-After');
    expect(get.headers['access-control-allow-credentials']).toBeUndefined();
    // A refusal is readable by the page too.
    const refused = await herald.http.get('/v1/inbox/items').set({ Origin: 'http://localhost:5173' });
    expect([refused.status, refused.headers['access-control-allow-origin']]).toEqual([401, 'http://localhost:5173']);

    for (const origin of ['https://evil.example.test', 'https://app.example.test:8443', 'http://app.example.test', 'null']) {
      const otherPreflight = await herald.http.options('/v1/inbox/items').set({ Origin: origin, 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'authorization' });
      const otherGet = await herald.http.get('/v1/inbox/items').set({ Origin: origin, ...bearer(token) });
      expect(otherGet.status).toBe(200);
      for (const res of [otherPreflight, otherGet]) {
        expect(Object.keys(res.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
      }
    }
    for (const path of ['/v1/notifications', '/v1/inbox/tokens', '/v1/categories']) {
      const res = await herald.http.options(path).set({ Origin: APP_ORIGIN, 'Access-Control-Request-Method': 'POST' });
      const plain = await herald.http.get(path).set({ Origin: APP_ORIGIN, ...admin });
      for (const r of [res, plain]) expect({ path, grant: Object.keys(r.headers).filter((h) => h.startsWith('access-control-')) }).toEqual({ path, grant: [] });
    }
  });

  it('CORS in Chromium: a page of a listed origin reads, marks and streams the inbox; a page of another origin is blocked', async () => {
    const token = await tokenFor(herald, 'u-browser');
    const id = await deliverInApp(herald, 'u-browser', 'In the browser');
    const browser = await launchChromium();
    try {
      const context = await browser.newContext();
      const tab = await context.newPage();
      await tab.goto(allowedSite.url);
      // Runs in the page: plain fetch with the token, as any client would; the stream read until `ready`.
      const script = `async ({ base, token, id }) => {
        const auth = { Authorization: 'Bearer ' + token };
        const list = await fetch(base + '/v1/inbox/items?filter=unread', { headers: auth });
        const listed = { status: list.status, ids: (await list.json()).items.map((i) => i.id), requestId: list.headers.get('X-Request-Id'), remaining: list.headers.get('X-RateLimit-Remaining') };
        const marked = (await fetch(base + '/v1/inbox/items/' + id + '/read', { method: 'POST', headers: auth })).status;
        const put = await fetch(base + '/v1/inbox/preferences', { method: 'PUT', headers: { ...auth, 'Content-Type': 'application/json' }, body: JSON.stringify({ categories: {}, optedOutChannels: ['sms'] }) });
        const refused = await fetch(base + '/v1/inbox/counts');
        const stream = await fetch(base + '/v1/inbox/stream', { headers: { ...auth, 'Last-Event-ID': '0' } });
        const reader = stream.body.getReader();
        const decoder = new TextDecoder();
        let text = '';
        while (!text.includes('event: ready')) text += decoder.decode((await reader.read()).value, { stream: true });
        await reader.cancel();
        return { listed, marked, put: put.status, refused: [refused.status, (await refused.json()).error.code], streamed: text };
      }`;
      const fromAllowed = await tab.evaluate(`(${script})(${JSON.stringify({ base: baseUrl, token, id })})`);
      expect(fromAllowed).toMatchObject({
        listed: { status: 200, ids: [id], requestId: expect.any(String), remaining: expect.stringMatching(/^\d+$/) },
        marked: 204,
        put: 200,
        refused: [401, 'unauthenticated'],
        streamed: expect.stringContaining('event: inbox.item'),
      });
      expect((await herald.http.get('/v1/recipients/u-browser/preferences').set(admin)).body.optedOutChannels).toEqual(['sms']);

      await tab.goto(otherSite.url);
      const blocked = await tab.evaluate(`(async ({ base, token }) => {
        const outcomes = [];
        for (const init of [{ headers: { Authorization: 'Bearer ' + token } }, { method: 'POST', headers: { Authorization: 'Bearer ' + token } }]) {
          try {
            const res = await fetch(base + '/v1/inbox/items', init);
            outcomes.push('read ' + res.status);
          } catch (err) {
            outcomes.push(err.name);
          }
        }
        return outcomes;
      })(${JSON.stringify({ base: baseUrl, token })})`);
      expect(blocked).toEqual(['TypeError', 'TypeError']);
      await context.close();
    } finally {
      await browser.close();
    }
  });

  it('preferences: a user changes declared, non-critical categories and opt-outs; critical and undeclared ones stay as stored', async () => {
    await herald.http.put('/v1/categories/promos').set(admin).send({ description: 'Offers', channelDefaults: { sms: false } }).expect(200);
    await herald.http.put('/v1/categories/security').set(admin).send({ description: 'Alerts', critical: true }).expect(200);
    // The application stored choices the user may not change: one for a critical category, one for an undeclared one.
    await herald.http.put('/v1/recipients/u-prefs/preferences').set(admin).send({ categories: { security: { sms: true }, legacy: { email: false } }, optedOutChannels: [] }).expect(200);
    const user = bearer(await tokenFor(herald, 'u-prefs'));

    const read = (await herald.http.get('/v1/inbox/preferences').set(user).expect(200)).body;
    expect(read.categories).toEqual({ security: { sms: true }, legacy: { email: false } });
    expect(read.effective.find((c: { name: string }) => c.name === 'promos').channels.sms).toBe(false);

    // Read-modify-write keeps what the user may not change; leaving it out keeps it too.
    const changed = await herald.http.put('/v1/inbox/preferences').set(user).send({ categories: { ...read.categories, promos: { sms: true, email: false } }, optedOutChannels: ['push'] }).expect(200);
    expect(changed.body.categories).toEqual({ security: { sms: true }, legacy: { email: false }, promos: { sms: true, email: false } });
    expect(changed.body.optedOutChannels).toEqual(['push']);
    const leftOut = await herald.http.put('/v1/inbox/preferences').set(user).send({ categories: { promos: { email: true } }, optedOutChannels: [] }).expect(200);
    expect(leftOut.body.categories).toEqual({ security: { sms: true }, legacy: { email: false }, promos: { email: true } });

    const stored = async () => (await herald.http.get('/v1/recipients/u-prefs/preferences').set(admin)).body;
    const snapshot = await stored();
    for (const [categories, field] of [
      [{ security: { sms: false } }, 'categories.security'],
      [{ security: { email: false, sms: true } }, 'categories.security'],
      [{ legacy: { email: true } }, 'categories.legacy'],
      [{ invented: { email: false } }, 'categories.invented'],
      [{ promos: { pigeon: true } }, 'categories.promos.pigeon'],
    ] as const) {
      const res = await herald.http.put('/v1/inbox/preferences').set(user).send({ categories, optedOutChannels: ['email'] });
      expect({ status: res.status, code: res.body.error.code, fields: res.body.error.details.map((d: { field: string }) => d.field) }).toEqual({ status: 400, code: 'validation_failed', fields: [field] });
    }
    expect(await stored()).toEqual(snapshot);
  });

  it('web push: the VAPID key, and a PushSubscription stored where the webpush channel sends; removed on DELETE', async () => {
    const user = bearer(await tokenFor(herald, 'u-push'));
    const key = await herald.http.get('/v1/inbox/webpush/key').set(user).expect(200);
    expect(key.body).toEqual({ publicKey: herald.config.channels.webPush.publicKey });

    const subscription = { ...browserSubscription(`${pushService.url}/push/u-push`), expirationTime: null };
    await herald.http.put('/v1/inbox/webpush/subscriptions').set(user).send(subscription).expect(204);
    await herald.http.put('/v1/inbox/webpush/subscriptions').set(user).send(subscription).expect(204);
    const profile = await herald.http.get('/v1/recipients/u-push').set(admin).expect(200);
    expect(profile.body.deviceTokens).toEqual([expect.objectContaining({ platform: 'webpush' })]);

    const sent = await herald.http.post('/v1/notifications').set(admin).send({ recipient: { userId: 'u-push' }, channels: ['webpush'], content: { webpush: { title: 'Hi', body: 'There' } } }).expect(202);
    const view = await eventually(async () => {
      const r = await herald.http.get(`/v1/notifications/${sent.body.notifications[0].id}`).set(admin);
      return ['sent', 'failed', 'unknown'].includes(r.body.status) ? r.body : undefined;
    }, 30_000, 'web push settled');
    expect(view.status).toBe('sent');
    expect(pushService.received.map((r) => r.url)).toEqual(['/push/u-push']);

    for (const body of [{ endpoint: 'ftp://push.example.test/x', keys: subscription.keys }, { endpoint: subscription.endpoint }, { endpoint: subscription.endpoint, keys: { p256dh: 'x' } }]) {
      const res = await herald.http.put('/v1/inbox/webpush/subscriptions').set(user).send(body);
      expect([res.status, res.body.error.code]).toEqual([400, 'validation_failed']);
    }
    // Another user's token cannot remove it.
    await herald.http.delete('/v1/inbox/webpush/subscriptions').set(bearer(await tokenFor(herald, 'u-not-push'))).send({ endpoint: subscription.endpoint }).expect(204);
    expect((await herald.http.get('/v1/recipients/u-push').set(admin)).body.deviceTokens).toHaveLength(1);
    await herald.http.delete('/v1/inbox/webpush/subscriptions').set(user).send({ endpoint: subscription.endpoint }).expect(204);
    await herald.http.delete('/v1/inbox/webpush/subscriptions').set(user).send({ endpoint: subscription.endpoint }).expect(204);
    expect((await herald.http.get('/v1/recipients/u-push').set(admin)).body.deviceTokens).toEqual([]);
  });
});

describe('inbox limits per user', () => {
  let herald: Herald;
  let baseUrl: string;

  beforeAll(async () => {
    herald = await startHerald({ INBOX_TOKEN_SECRET: SECRET, INBOX_REQUESTS_PER_MINUTE: '5', INBOX_MAX_STREAMS_PER_USER: '1', INBOX_SSE_HEARTBEAT: '1s' });
    baseUrl = await listen(herald);
  });
  afterAll(() => herald?.stop());

  it('INBOX_REQUESTS_PER_MINUTE counts a user across routes and tokens: the request after the budget is 429 with Retry-After', async () => {
    const [first, second] = [await tokenFor(herald, 'u-busy'), await tokenFor(herald, 'u-busy')];
    const routes = ['/v1/inbox/items', '/v1/inbox/counts', '/v1/inbox/preferences'];
    for (let i = 0; i < 5; i++) {
      const res = await herald.http.get(routes[i % 3]).set(bearer(i % 2 ? second : first));
      expect(res.status).toBe(200);
      expect(res.headers['x-ratelimit-limit']).toBe('5');
      expect(res.headers['x-ratelimit-remaining']).toBe(String(4 - i));
    }
    for (const token of [first, second]) {
      const res = await herald.http.get('/v1/inbox/counts').set(bearer(token));
      expect(res.status).toBe(429);
      expect(res.body.error.code).toBe('rate_limited');
      expect(res.body.error.message).toContain('per user');
      const retryAfter = Number(res.headers['retry-after']);
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
    }
    // Another user has a budget of its own, and API keys keep theirs (RATE_LIMIT_PER_MINUTE).
    expect((await herald.http.get('/v1/inbox/counts').set(bearer(await tokenFor(herald, 'u-calm')))).status).toBe(200);
    for (let i = 0; i < 6; i++) expect((await herald.http.get('/v1/categories').set(admin)).status).toBe(200);
  });

  it('INBOX_MAX_STREAMS_PER_USER: one stream more is refused with 429 too_many_streams; a closed stream frees its slot', async () => {
    const token = await tokenFor(herald, 'u-tabs');
    const open = SseClient.open(`${baseUrl}/v1/inbox/stream`, bearer(token));
    await eventually(() => (open.events.some((e) => e.event === 'ready') ? true : undefined), 15_000, 'first stream');
    const refused = await herald.http.get('/v1/inbox/stream').set(bearer(token));
    expect([refused.status, refused.body.error.code, refused.headers['retry-after']]).toEqual([429, 'too_many_streams', '10']);
    expect(refused.headers['content-type']).toContain('application/json');
    // Another user is not affected.
    const other = SseClient.open(`${baseUrl}/v1/inbox/stream`, bearer(await tokenFor(herald, 'u-other-tab')));
    await eventually(() => (other.events.some((e) => e.event === 'ready') ? true : undefined), 15_000, 'other user stream');
    other.close();
    open.close();
    const again = await eventually(async () => {
      const next = SseClient.open(`${baseUrl}/v1/inbox/stream`, bearer(token));
      await eventually(() => (next.status ? true : undefined), 5_000, 'an answer');
      if (next.status === 200) return next;
      next.close();
      return undefined;
    }, 10_000, 'a freed slot');
    again.close();
  });
});

describe('inbox tokens switched off', () => {
  let herald: Herald;
  beforeAll(async () => {
    herald = await startHerald({});
  });
  afterAll(() => herald?.stop());

  it('without INBOX_TOKEN_SECRET no token is minted and the user-token routes answer 404 inbox_tokens_disabled', async () => {
    const mint = await herald.http.post('/v1/inbox/tokens').set(admin).send({ userId: 'u-1' });
    expect([mint.status, mint.body.error.code]).toEqual([404, 'inbox_tokens_disabled']);
    const token = signInboxToken({ secret: SECRET, userId: 'u-1', expiresAt: new Date(Date.now() + 60_000) });
    const res = await herald.http.get('/v1/inbox/items').set(bearer(token));
    expect([res.status, res.body.error.code]).toEqual([404, 'inbox_tokens_disabled']);
    // And the API-key routes still refuse the token.
    expect((await herald.http.get('/v1/users/u-1/inbox').set(bearer(token))).status).toBe(401);
  });
});
