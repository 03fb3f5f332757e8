import type { AddressInfo } from 'node:net';
import { ADMIN_KEY, eventually, startHerald, type Herald } from '../support/herald-harness';
import { SseClient } from '../support/sse-client';

describe('in-app channel: inbox API and live stream', () => {
  let herald: Herald;
  let baseUrl: string;
  const auth = { Authorization: `Bearer ${ADMIN_KEY}` };

  beforeAll(async () => {
    herald = await startHerald({ INBOX_SSE_HEARTBEAT: '1s' });
    const server = herald.app.getHttpServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await herald.stop();
  });

  async function postInApp(userId: string, title: string): Promise<string> {
    const res = await herald.http
      .post('/v1/notifications')
      .set(auth)
      .send({ recipient: { userId }, channels: ['inapp'], content: { inapp: { title, body: `${title} body`, actionUrl: 'https://shop.example.com/o/1' } }, category: 'orders' })
      .expect(202);
    return res.body.notifications[0].id;
  }

  it('an item posted through the API appears on an open SSE connection and in the inbox, with read and archive marks', async () => {
    const stream = SseClient.open(`${baseUrl}/v1/users/u-inbox/inbox/stream`, auth);
    try {
      await eventually(() => (stream.events.some((e) => e.event === 'ready') ? true : undefined), 15_000, 'stream ready');
      expect(stream.status).toBe(200);
      expect(stream.contentType).toContain('text/event-stream');

      const notificationId = await postInApp('u-inbox', 'Shipped');
      const streamed = await eventually(() => stream.events.find((e) => e.event === 'inbox.item'), 30_000, 'item on the stream');
      const item = JSON.parse(streamed.data);
      expect(item).toMatchObject({ userId: 'u-inbox', notificationId, title: 'Shipped', body: 'Shipped body', actionUrl: 'https://shop.example.com/o/1', category: 'orders', readAt: null });
      expect(streamed.id).toBe(item.id);

      const page = await herald.http.get('/v1/users/u-inbox/inbox').set(auth).expect(200);
      expect(page.body.unreadCount).toBe(1);
      expect(page.body.items).toEqual([expect.objectContaining({ id: item.id, notificationId, title: 'Shipped' })]);
      expect(page.body.nextCursor).toBeNull();

      const view = await herald.http.get(`/v1/notifications/${notificationId}`).set(auth).expect(200);
      expect(view.body).toMatchObject({ status: 'sent', provider: 'inbox', providerMessageId: item.id });

      await herald.http.post(`/v1/users/u-inbox/inbox/${item.id}/read`).set(auth).expect(204);
      expect((await herald.http.get('/v1/users/u-inbox/inbox').set(auth)).body.unreadCount).toBe(0);
      await herald.http.post(`/v1/users/u-inbox/inbox/${item.id}/archive`).set(auth).expect(204);
      expect((await herald.http.get('/v1/users/u-inbox/inbox').set(auth)).body.items).toEqual([]);
      const archived = await herald.http.get('/v1/users/u-inbox/inbox?includeArchived=true').set(auth).expect(200);
      expect(archived.body.items[0]).toMatchObject({ id: item.id, readAt: expect.any(String), archivedAt: expect.any(String) });

      // Another user's items never reach this stream.
      await postInApp('u-other', 'Not yours');
      await eventually(async () => ((await herald.http.get('/v1/users/u-other/inbox').set(auth)).body.items.length === 1 ? true : undefined));
      expect(stream.events.filter((e) => e.event === 'inbox.item')).toHaveLength(1);
    } finally {
      stream.close();
    }
  });

  it('pages newest first with a cursor, and marks all read', async () => {
    const ids: string[] = [];
    for (const title of ['one', 'two', 'three']) ids.push(await postInApp('u-pages', title));
    await eventually(async () => ((await herald.http.get('/v1/users/u-pages/inbox').set(auth)).body.unreadCount === 3 ? true : undefined), 30_000, 'three items');

    const first = await herald.http.get('/v1/users/u-pages/inbox?limit=2').set(auth).expect(200);
    expect(first.body.items).toHaveLength(2);
    expect(first.body.nextCursor).toEqual(first.body.items[1].id);
    const second = await herald.http.get(`/v1/users/u-pages/inbox?limit=2&cursor=${first.body.nextCursor}`).set(auth).expect(200);
    expect(second.body.items).toHaveLength(1);
    expect(second.body.nextCursor).toBeNull();
    const all = [...first.body.items, ...second.body.items];
    expect(new Set(all.map((i: { notificationId: string }) => i.notificationId))).toEqual(new Set(ids));
    expect(all.map((i: { id: string }) => i.id)).toEqual([...all.map((i: { id: string }) => i.id)].sort().reverse());

    const res = await herald.http.post('/v1/users/u-pages/inbox/read-all').set(auth).expect(200);
    expect(res.body).toEqual({ updated: 3 });
    expect((await herald.http.get('/v1/users/u-pages/inbox').set(auth)).body.unreadCount).toBe(0);
  });

  it('answers 404 for an item of another user, and 400 for a bad cursor or limit', async () => {
    const [item] = (await herald.http.get('/v1/users/u-pages/inbox').set(auth)).body.items;
    const res = await herald.http.post(`/v1/users/u-someone-else/inbox/${item.id}/read`).set(auth).expect(404);
    expect(res.body.error.code).toBe('inbox_item_not_found');
    const bad = await herald.http.get('/v1/users/u-pages/inbox?limit=0&cursor=nope').set(auth).expect(400);
    expect(bad.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['cursor', 'limit']);
  });

  it('refuses an inapp request without a userId', async () => {
    const res = await herald.http.post('/v1/notifications').set(auth).send({ recipient: { email: 'a@example.com' }, channels: ['inapp'], content: { inapp: { title: 't', body: 'b' } } }).expect(400);
    expect(res.body.error.details).toEqual([expect.objectContaining({ field: 'recipient.userId' })]);
  });
});
