import { ADMIN_KEY, eventually, sleep, startHerald, type Herald } from '../support/herald-harness';
import { emailRequest } from '../factories/notification-requests';

describe('email pipeline: API to SMTP server, exactly once', () => {
  let herald: Herald;
  const auth = { Authorization: `Bearer ${ADMIN_KEY}` };

  beforeAll(async () => {
    herald = await startHerald();
  });
  afterAll(async () => {
    await herald.stop();
  });

  it('delivers the issue example once with the right recipient, subject and bodies, and reports sent with one attempt', async () => {
    const body = {
      recipient: { userId: 'u-42', email: 'ada@example.com' },
      channels: ['email'],
      content: { email: { subject: 'Your order shipped', text: 'Order o-1 is on its way', html: '<p>Order o-1 is on its way</p>' } },
      category: 'orders',
      metadata: { orderId: 'o-1' },
    };
    const res = await herald.http.post('/v1/notifications').set(auth).set('Idempotency-Key', 'order-o-1-shipped').send(body).expect(202);
    expect(res.body.notifications).toHaveLength(1);
    expect(res.body.notifications[0]).toMatchObject({ channel: 'email', status: 'queued' });
    const id = res.body.notifications[0].id;

    const view = await eventually(async () => {
      const r = await herald.http.get(`/v1/notifications/${id}`).set(auth).expect(200);
      return r.body.status === 'sent' ? r.body : undefined;
    }, 15_000, 'status sent');
    const mails = herald.smtp.accepted.filter((m) => m.to.includes('ada@example.com'));
    expect(mails).toHaveLength(1);
    expect(mails[0].subject).toBe('Your order shipped');
    expect(mails[0].text).toMatch(/^Order o-1 is on its way\n\n--\nUnsubscribe: http/);
    expect(mails[0].html).toContain('<p>Order o-1 is on its way</p>');
    expect(mails[0].headers['x-herald-notification-id']).toBe(id);
    expect(view.attempts).toHaveLength(1);
    expect(view.attempts[0]).toMatchObject({ attemptNumber: 1, provider: 'smtp', outcome: 'sent', errorCode: null });
    expect(typeof view.attempts[0].durationMs).toBe('number');
    expect(view.history.map((h: { to: string }) => h.to)).toEqual(['queued', 'sending', 'sent']);
    expect(view.metadata).toEqual({ orderId: 'o-1' });
    expect(view.sentAt).toBeTruthy();
  });

  it('creates one notification and sends one email when the same request is replayed 5 times concurrently', async () => {
    const body = emailRequest();
    const key = `replay-${Date.now()}`;
    const responses = await Promise.all(
      Array.from({ length: 5 }, () => herald.http.post('/v1/notifications').set(auth).set('Idempotency-Key', key).send(body)),
    );
    for (const r of responses) expect(r.status).toBe(202);
    const ids = new Set(responses.map((r) => r.body.notifications[0].id));
    expect(ids.size).toBe(1);
    expect(responses.filter((r) => r.headers['idempotent-replayed'] === 'true')).toHaveLength(4);
    const [id] = [...ids];
    const { rows } = await herald.db.query(`SELECT count(*)::int AS n FROM notifications n JOIN notification_requests r ON r.id = n.request_id WHERE r.idempotency_key = $1`, [key]);
    expect(rows[0].n).toBe(1);
    await eventually(async () => ((await herald.http.get(`/v1/notifications/${id}`).set(auth)).body.status === 'sent' ? true : undefined));
    await sleep(500);
    expect(herald.smtp.accepted.filter((m) => m.to.includes(body.recipient.email))).toHaveLength(1);
  });

  it('refuses the same key with a different body with 422 and creates nothing', async () => {
    const key = `conflict-${Date.now()}`;
    await herald.http.post('/v1/notifications').set(auth).set('Idempotency-Key', key).send(emailRequest()).expect(202);
    const before = await herald.db.query(`SELECT count(*)::int AS n FROM notifications`);
    const res = await herald.http.post('/v1/notifications').set(auth).set('Idempotency-Key', key).send(emailRequest()).expect(422);
    expect(res.body.error.code).toBe('idempotency_key_reused');
    expect(res.body.error.message).toContain(key);
    const after = await herald.db.query(`SELECT count(*)::int AS n FROM notifications`);
    expect(after.rows[0].n).toBe(before.rows[0].n);
  });
});
