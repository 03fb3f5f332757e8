import type { AddressInfo } from 'node:net';
import { Herald as HeraldClient, HeraldError } from '../../packages/sdk/src/index';
import { ADMIN_KEY, eventually, startHerald, type Herald } from '../support/herald-harness';
import { HttpPeer, type ReceivedRequest } from '../support/peers/http-peer';

/** Forwards a request to Herald as it came, and Herald's answer back as it went. */
async function forward(base: string, req: ReceivedRequest) {
  const headers = Object.fromEntries(Object.entries(req.headers).filter((e): e is [string, string] => typeof e[1] === 'string' && !['host', 'connection', 'content-length'].includes(e[0])));
  const res = await fetch(`${base}${req.url}`, { method: req.method, headers, body: req.body.length ? req.body : undefined });
  const answerHeaders = Object.fromEntries([...res.headers].filter(([name]) => !['content-length', 'content-encoding', 'transfer-encoding', 'connection', 'keep-alive'].includes(name)));
  return { status: res.status, headers: answerHeaders, body: await res.text() };
}

describe('the SDK against a real Herald', () => {
  let herald: Herald;
  let base: string;
  let sdk: HeraldClient;
  let proxy: HttpPeer;

  beforeAll(async () => {
    herald = await startHerald();
    await herald.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(herald.app.getHttpServer().address() as AddressInfo).port}`;
    sdk = new HeraldClient({ apiKey: ADMIN_KEY, baseUrl: base });
    proxy = await HttpPeer.start((req) => forward(base, req));
  });
  afterAll(async () => {
    await proxy?.close();
    await herald?.stop();
  });
  beforeEach(() => {
    proxy.received.length = 0;
    proxy.respond = (req) => forward(base, req);
  });

  const requestsWithKey = async (key: string) =>
    (await herald.db.query(`SELECT count(*)::int AS n FROM notification_requests WHERE idempotency_key = $1`, [key])).rows[0].n as number;

  it('sends an email and reads the notification back until it is sent', async () => {
    const accepted = await sdk.notifications.send({
      recipient: { userId: 'sdk-u1', email: 'sdk-u1@example.com' },
      channels: ['email'],
      content: { email: { subject: 'From the SDK', text: 'Hello from @herald/sdk' } },
      metadata: { orderId: 'o-1' },
    });
    expect(accepted.notifications).toHaveLength(1);
    const id = accepted.notifications[0].id;
    const sent = await eventually(async () => {
      const notification = await sdk.notifications.get(id);
      return notification.status === 'sent' ? notification : undefined;
    }, 20_000, 'the notification sent');
    expect(sent).toMatchObject({ id, channel: 'email', metadata: { orderId: 'o-1' } });
    expect(herald.smtp.accepted.some((m) => m.to.includes('sdk-u1@example.com'))).toBe(true);
  });

  it('a repeat with the same idempotency key answers with the same notification and creates nothing', async () => {
    const body = { recipient: { email: 'replay@example.com' }, channels: ['email' as const], content: { email: { subject: 'Once', text: 'Only once' } } };
    const first = await sdk.notifications.send(body, { idempotencyKey: 'sdk-replay-1' });
    const second = await sdk.notifications.send(body, { idempotencyKey: 'sdk-replay-1' });
    // The same event and notifications; their status may have moved on in between.
    expect(second.requestId).toBe(first.requestId);
    expect(second.notifications.map((n) => n.id)).toEqual(first.notifications.map((n) => n.id));
    expect(await requestsWithKey('sdk-replay-1')).toBe(1);
    // Without a key given, each call is its own event.
    const a = await sdk.notifications.send(body);
    const b = await sdk.notifications.send(body);
    expect(a.notifications[0].id).not.toBe(b.notifications[0].id);
  });

  it('sendBatch accepts every item, and a repeat of the batch with its key is all duplicates', async () => {
    const items = ['b1', 'b2', 'b3'].map((u) => ({ recipient: { userId: `sdk-${u}`, email: `${u}@example.com` }, channels: ['email' as const], content: { email: { subject: 'Batch', text: u } } }));
    const first = await sdk.notifications.sendBatch(items, { idempotencyKey: 'sdk-batch-1' });
    expect({ accepted: first.accepted, duplicates: first.duplicates, rejected: first.rejected }).toEqual({ accepted: 3, duplicates: 0, rejected: 0 });
    const again = await sdk.notifications.sendBatch(items, { idempotencyKey: 'sdk-batch-1' });
    expect({ accepted: again.accepted, duplicates: again.duplicates }).toEqual({ accepted: 0, duplicates: 3 });
    expect(again.items.map((i) => i.notifications?.[0].id)).toEqual(first.items.map((i) => i.notifications?.[0].id));
  });

  it('stores a recipient and its preferences, and reads them back', async () => {
    const put = await sdk.recipients.put('sdk-ada', { email: 'ada@example.com', locale: 'fr-CA', timezone: 'Europe/Paris', attributes: { plan: 'pro' } });
    expect(put).toMatchObject({ userId: 'sdk-ada', email: 'ada@example.com', locale: 'fr-CA', attributes: { plan: 'pro' } });
    expect(await sdk.recipients.get('sdk-ada')).toMatchObject({ email: 'ada@example.com', timezone: 'Europe/Paris' });
    await sdk.categories.put('sdk-news', { description: 'News', channelDefaults: { email: true, sms: false } });
    expect((await sdk.categories.list()).map((c) => c.name)).toContain('sdk-news');
    await sdk.preferences.put('sdk-ada', { categories: { 'sdk-news': { email: false } }, optedOutChannels: ['sms'] });
    const prefs = await sdk.preferences.get('sdk-ada');
    expect(prefs).toMatchObject({ userId: 'sdk-ada', categories: { 'sdk-news': { email: false } }, optedOutChannels: ['sms'] });
    const link = await sdk.preferences.createLink('sdk-ada');
    expect(link.url).toContain('/v1/preference-page?token=');
  });

  it('a missing recipient is a HeraldError 404 with Herald code and request id', async () => {
    let caught: unknown;
    await sdk.recipients.get('sdk-nobody').catch((err: unknown) => (caught = err));
    expect(caught).toBeInstanceOf(HeraldError);
    const err = caught instanceof HeraldError ? caught : undefined;
    expect({ status: err?.status, code: err?.code }).toEqual({ status: 404, code: 'recipient_not_found' });
    expect(err?.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('topics: subscribe, list, notify every subscriber and follow the fan-out', async () => {
    await sdk.topics.put('sdk-topic', { name: 'SDK readers' });
    expect(await sdk.topics.subscribe('sdk-topic', ['sdk-t1', 'sdk-t2', 'sdk-t3'])).toEqual({ added: 3 });
    expect(await sdk.topics.unsubscribe('sdk-topic', 'sdk-t3')).toEqual({ removed: 1 });
    expect(await sdk.topics.listSubscribers('sdk-topic', { limit: 10 })).toEqual({ userIds: ['sdk-t1', 'sdk-t2'], nextCursor: null });
    for (const u of ['sdk-t1', 'sdk-t2']) await sdk.recipients.put(u, { email: `${u}@example.com` });
    const fanout = await sdk.topics.notify('sdk-topic', { channels: ['email'], content: { email: { subject: 'Topic news', text: 'For every reader' } } });
    expect(fanout).toMatchObject({ topicKey: 'sdk-topic', total: 2 });
    const done = await eventually(async () => {
      const f = await sdk.topics.getFanout(fanout.id);
      return f.done ? f : undefined;
    }, 20_000, 'the fan-out done');
    expect(done.created).toBe(2);
    expect((await sdk.topics.get('sdk-topic')).subscriberCount).toBe(2);
    expect(await sdk.topics.listFanouts('sdk-topic', { limit: 10 })).toEqual({ items: [done], nextCursor: null });
    expect((await sdk.topics.list()).items.find((t) => t.key === 'sdk-topic')).toMatchObject({ name: 'SDK readers', subscriberCount: 2 });
  });

  it('templates: put, get a version, preview; and a send from the template', async () => {
    const put = await sdk.templates.put('sdk-welcome', { defaultLocale: 'en', variables: ['name'], locales: { en: { email: { subject: 'Welcome {{name}}', text: 'Hi {{name}}' } } } });
    expect(put).toMatchObject({ key: 'sdk-welcome', version: 1 });
    await sdk.templates.put('sdk-welcome', { defaultLocale: 'en', variables: ['name'], locales: { en: { email: { subject: 'Hello {{name}}', text: 'Hi {{name}}' } } } });
    expect((await sdk.templates.get('sdk-welcome')).version).toBe(2);
    expect((await sdk.templates.get('sdk-welcome', { version: 1 })).version).toBe(1);
    const listed = await sdk.templates.list({ prefix: 'sdk-' });
    expect(listed).toEqual({ items: [expect.objectContaining({ key: 'sdk-welcome', latestVersion: 2, locales: ['en'], channels: ['email'] })], nextCursor: null });
    const preview = await sdk.templates.preview('sdk-welcome', { data: { name: 'Ada' }, version: 1 });
    expect(preview.content.email).toMatchObject({ subject: 'Welcome Ada' });
    const sent = await sdk.notifications.send({ recipient: { email: 'tpl@example.com' }, channels: ['email'], template: { key: 'sdk-welcome', data: { name: 'Grace' } } });
    expect(sent.notifications).toHaveLength(1);
  });

  it('cancels a scheduled notification; a second cancel is a typed 409', async () => {
    const sendAt = new Date(Date.now() + 3_600_000).toISOString();
    const accepted = await sdk.notifications.send({ recipient: { email: 'later@example.com' }, channels: ['email'], content: { email: { subject: 'Later', text: 'In an hour' } }, sendAt });
    const id = accepted.notifications[0].id;
    expect((await sdk.notifications.get(id)).status).toBe('scheduled');
    expect(await sdk.notifications.cancel(id)).toEqual({ id, status: 'cancelled' });
    const again = await sdk.notifications.cancel(id).catch((err: unknown) => err);
    expect(again instanceof HeraldError ? again.status : again).toBe(409);
  });

  it('inbox: an in-app notification is listed, read, archived; mark all read', async () => {
    await sdk.notifications.send({ recipient: { userId: 'sdk-inbox' }, channels: ['inapp'], content: { inapp: { title: 'One', body: 'First' } } });
    await sdk.notifications.send({ recipient: { userId: 'sdk-inbox' }, channels: ['inapp'], content: { inapp: { title: 'Two', body: 'Second' } } });
    const page = await eventually(async () => {
      const p = await sdk.inbox.list('sdk-inbox');
      return p.items.length === 2 ? p : undefined;
    }, 20_000, 'two inbox items');
    const [newest, oldest] = page.items;
    await sdk.inbox.markRead('sdk-inbox', newest.id);
    await sdk.inbox.archive('sdk-inbox', newest.id);
    expect((await sdk.inbox.list('sdk-inbox')).items.map((i) => i.id)).toEqual([oldest.id]);
    expect((await sdk.inbox.list('sdk-inbox', { includeArchived: true })).items.find((i) => i.id === newest.id)?.readAt).toEqual(expect.any(String));
    expect(await sdk.inbox.markAllRead('sdk-inbox')).toEqual({ updated: 1 });
  });

  it('lists notifications by status and by feed filters, refuses to resend one that is not unknown, reports engagement (also per hour) and provider health', async () => {
    const scheduled = await sdk.notifications.send({
      recipient: { email: 'later@example.com' },
      channels: ['email'],
      content: { email: { subject: 'Later', text: 'Next year' } },
      metadata: { batch: 'sdk-feed' },
      sendAt: new Date(Date.now() + 365 * 86_400_000).toISOString(),
    });
    const id = scheduled.notifications[0].id;
    const page = await sdk.notifications.list({ status: 'scheduled', limit: 100 });
    expect(page.items.map((n) => n.id)).toContain(id);
    const filtered = await sdk.notifications.list({ email: 'later@example.com', metadata: 'batch=sdk-feed', channel: 'email' });
    expect(filtered).toEqual({ items: [expect.objectContaining({ id, status: 'scheduled', metadata: { batch: 'sdk-feed' } })], nextCursor: null });
    expect(await sdk.notifications.resendUnknown([id], { acceptDuplicateRisk: true })).toEqual({
      resent: 0,
      items: [expect.objectContaining({ id, outcome: 'not_resendable', status: 'scheduled' })],
    });
    const report = await sdk.analytics.engagement({ from: new Date(Date.now() - 3_600_000).toISOString(), to: new Date(Date.now() + 60_000).toISOString(), groupBy: 'channel' });
    const email = report.groups.find((g) => g.key.channel === 'email');
    expect(email?.counts.accepted).toBeGreaterThanOrEqual(1);
    await expect(sdk.analytics.engagement({ from: 'yesterday', to: 'today' })).rejects.toMatchObject({ status: 400, code: 'validation_failed' });
    const hourly = await sdk.analytics.engagement({ from: new Date(Date.now() - 3_600_000).toISOString(), to: new Date(Date.now() + 60_000).toISOString(), interval: 'hour', channel: 'email' });
    expect(hourly.buckets?.reduce((n, b) => n + b.counts.accepted, 0)).toBe(email?.counts.accepted);
    const health = await sdk.providers.health({ window: '1h' });
    expect(health.windowSeconds).toBe(3600);
    expect(health.providers.find((p) => p.channel === 'email')).toMatchObject({ provider: 'smtp', configured: true });
    await expect(sdk.providers.health({ window: 'forever' })).rejects.toMatchObject({ status: 400, code: 'validation_failed' });
  });

  it('api keys: create with an expiry, list without the secret, revoke (audited); the revoked key is refused', async () => {
    const expiresAt = new Date(Date.now() + 3_600_000).toISOString();
    const key = await sdk.apiKeys.create({ name: 'sdk console', scopes: ['notifications:read'], expiresAt });
    expect(key).toMatchObject({ name: 'sdk console', status: 'active', expiresAt, lastFour: key.secret.slice(-4) });
    const listed = await sdk.apiKeys.list();
    expect(listed.items.find((k) => k.id === key.id)).toMatchObject({ prefix: key.secret.slice(0, 10), status: 'active' });
    expect(JSON.stringify(listed)).not.toContain(key.secret);
    expect(await sdk.apiKeys.revoke(key.id)).toMatchObject({ id: key.id, status: 'revoked' });
    const audit = await sdk.auditLog.list({ action: 'api_key.revoked' });
    expect(audit.items[0]).toMatchObject({ target: `api_key:${key.id}`, after: expect.objectContaining({ name: 'sdk console' }) });
    const narrow = new HeraldClient({ apiKey: key.secret, baseUrl: base, maxRetries: 0 });
    await expect(narrow.notifications.list({ limit: 1 })).rejects.toMatchObject({ status: 401 });
  });

  it('operations: dead letters, failed notifications, suppressions, rejected events', async () => {
    expect(await sdk.deadLetters.list('email')).toEqual({ items: [] });
    expect(await sdk.deadLetters.redrive('email', { all: true })).toMatchObject({ redriven: 0 });
    expect((await sdk.deadLetters.listFailed({ channel: 'email' })).items).toEqual([]);
    expect(await sdk.deadLetters.redriveFailed({ all: true })).toMatchObject({ redriven: 0 });
    expect(await sdk.suppressions.add({ channel: 'email', address: 'bounced@example.com', reason: 'hard bounce' })).toEqual({ added: true });
    expect((await sdk.suppressions.list({ channel: 'email' })).items.map((i) => i.address)).toContain('bounced@example.com');
    await sdk.suppressions.remove('email', 'bounced@example.com');
    expect((await sdk.suppressions.list({ address: 'bounced@example.com' })).items).toEqual([]);
    expect((await sdk.rejectedEvents.list({ limit: 5 })).items).toEqual([]);
  });

  it('retries after a 429 with Retry-After, with the same key: one notification', async () => {
    let refused = 0;
    proxy.respond = (req) =>
      req.url === '/v1/notifications' && refused++ === 0
        ? { status: 429, headers: { 'Retry-After': '1' }, body: { error: { code: 'rate_limited', message: 'Too many requests' } } }
        : forward(base, req);
    const viaProxy = new HeraldClient({ apiKey: ADMIN_KEY, baseUrl: proxy.url });
    const started = Date.now();
    const accepted = await viaProxy.notifications.send({ recipient: { email: 'limited@example.com' }, channels: ['email'], content: { email: { subject: 'Later', text: 'After the limit' } } });
    expect(Date.now() - started).toBeGreaterThanOrEqual(990);
    const keys = proxy.received.map((r) => r.headers['idempotency-key']);
    expect(keys).toHaveLength(2);
    expect(keys[1]).toBe(keys[0]);
    expect(await requestsWithKey(String(keys[0]))).toBe(1);
    expect((await sdk.notifications.get(accepted.notifications[0].id)).recipient.email).toBe('limited@example.com');
  });

  it('an answer lost after Herald stored the notification: the retry with the same key gets the same notification', async () => {
    let lost = 0;
    proxy.respond = async (req) => {
      const answer = await forward(base, req);
      return req.url === '/v1/notifications' && lost++ === 0 ? { status: 502, body: 'Bad Gateway' } : answer;
    };
    const viaProxy = new HeraldClient({ apiKey: ADMIN_KEY, baseUrl: proxy.url, retryDelay: { baseMs: 50 } });
    const accepted = await viaProxy.notifications.send({ recipient: { email: 'lost@example.com' }, channels: ['email'], content: { email: { subject: 'Lost', text: 'Answer lost once' } } });
    const key = String(proxy.received[0].headers['idempotency-key']);
    expect(proxy.received.map((r) => r.headers['idempotency-key'])).toEqual([key, key]);
    expect(await requestsWithKey(key)).toBe(1);
    const { rows } = await herald.db.query(`SELECT id FROM notifications WHERE request_id = (SELECT id FROM notification_requests WHERE idempotency_key = $1)`, [key]);
    expect(rows.map((r: { id: string }) => r.id)).toEqual([accepted.notifications[0].id]);
  });

  it('Herald\'s own rate limit: its Retry-After (whole seconds) is longer than this client waits, so the 429 comes back at once as rate_limited', async () => {
    const limited = await startHerald({ RATE_LIMIT_PER_MINUTE: '2' });
    try {
      await limited.app.listen(0, '127.0.0.1');
      const url = `http://127.0.0.1:${(limited.app.getHttpServer().address() as AddressInfo).port}`;
      // A Retry-After of up to a minute is longer than this client waits: it gets the 429 at once.
      const client = new HeraldClient({ apiKey: ADMIN_KEY, baseUrl: url, retryDelay: { maxMs: 500 } });
      await client.categories.list();
      await client.categories.list();
      let caught: unknown;
      await client.categories.list().catch((err: unknown) => (caught = err));
      const err = caught instanceof HeraldError ? caught : undefined;
      expect({ status: err?.status, code: err?.code }).toEqual({ status: 429, code: 'rate_limited' });
    } finally {
      await limited.stop();
    }
  });
});
