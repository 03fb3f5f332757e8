import { emailRequest } from '../factories/notification-requests';
import { ADMIN_KEY, eventually, startHerald, type Herald } from '../support/herald-harness';

const auth = { Authorization: `Bearer ${ADMIN_KEY}` };

describe('politeness limits per recipient, category and channel', () => {
  let herald: Herald;

  beforeAll(async () => {
    herald = await startHerald({ POLITENESS_LIMITS: 'promo.email=2/1h, digest.*=1/1h:defer' });
  });
  afterAll(async () => {
    await herald.stop();
  });

  async function sendAndSettle(userId: string, category: string) {
    const body = emailRequest({ category });
    body.recipient = { userId, email: `${userId}@example.com` };
    const id = (await herald.http.post('/v1/notifications').set(auth).send(body).expect(202)).body.notifications[0].id as string;
    return eventually(async () => {
      const v = (await herald.http.get(`/v1/notifications/${id}`).set(auth).expect(200)).body;
      return v.status === 'sent' || v.status === 'suppressed' || (v.status === 'queued' && v.nextAttemptAt) ? v : undefined;
    }, 15_000, 'settled');
  }

  it('sends up to the limit, then suppresses with the reason; other recipients and categories are not affected', async () => {
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await sendAndSettle('u-promo', 'promo'));
    expect(results.map((r) => r.status)).toEqual(['sent', 'sent', 'suppressed', 'suppressed']);
    expect(results[2].statusReason).toContain('politeness limit promo.email=2/1h: 2 already sent in the window');
    expect(results[2].attempts).toEqual([]);
    expect(herald.smtp.accepted.filter((m) => m.to.includes('u-promo@example.com'))).toHaveLength(2);
    expect((await sendAndSettle('u-other', 'promo')).status).toBe('sent');
    expect((await sendAndSettle('u-promo', 'orders')).status).toBe('sent');
  });

  it('defers instead, by the category policy, until the oldest send leaves the window', async () => {
    const first = await sendAndSettle('u-digest', 'digest');
    expect(first.status).toBe('sent');
    const second = await sendAndSettle('u-digest', 'digest');
    expect(second.status).toBe('queued');
    expect(second.statusReason).toContain('deferred');
    const expected = Date.parse(first.sentAt) + 3_600_000;
    expect(Math.abs(Date.parse(second.nextAttemptAt) - expected)).toBeLessThan(1000);
    expect(herald.smtp.accepted.filter((m) => m.to.includes('u-digest@example.com'))).toHaveLength(1);
  });
});

describe('a politeness limit per recipient across every category and channel (*.*)', () => {
  let herald: Herald;

  beforeAll(async () => {
    herald = await startHerald({ POLITENESS_LIMITS: '*.*=3/1h, promo.email=1/1h' });
  });
  afterAll(async () => {
    await herald.stop();
  });

  /** Posts one notification to `userId` on `channel`, with `category` or none, and waits for its gate's verdict. */
  async function post(userId: string, channel: 'email' | 'inapp', category: string | null) {
    const body: Record<string, unknown> = {
      recipient: { userId, email: `${userId}@example.com` },
      channels: [channel],
      content: channel === 'email' ? { email: { subject: 'Hello', text: 'Hello' } } : { inapp: { title: 'Hello', body: 'Hello' } },
      ...(category ? { category } : {}),
    };
    const id = (await herald.http.post('/v1/notifications').set(auth).send(body).expect(202)).body.notifications[0].id as string;
    return eventually(async () => {
      const v = (await herald.http.get(`/v1/notifications/${id}`).set(auth).expect(200)).body;
      return v.status === 'sent' || v.status === 'suppressed' ? v : undefined;
    }, 15_000, 'settled');
  }

  it('counts every category, uncategorised notifications and every channel towards one cap, besides the category limits', async () => {
    const first = [await post('u-cap', 'email', 'promo'), await post('u-cap', 'email', null), await post('u-cap', 'inapp', 'orders')];
    expect(first.map((v) => [v.category, v.channel, v.status])).toEqual([
      ['promo', 'email', 'sent'],
      [null, 'email', 'sent'],
      ['orders', 'inapp', 'sent'],
    ]);
    // Three sent in the hour, of three categories (one of them none) on two channels: the cap is reached for all of them.
    for (const [channel, category] of [['email', 'orders'], ['email', null], ['inapp', 'news']] as const) {
      const over = await post('u-cap', channel, category);
      expect(over.status).toBe('suppressed');
      expect(over.statusReason).toContain('politeness limit *.*=3/1h: 3 already sent in the window');
      expect(over.attempts).toEqual([]);
    }
    expect(herald.smtp.accepted.filter((m) => m.to.includes('u-cap@example.com'))).toHaveLength(2);

    // Another recipient has a cap of their own; the category limit still applies under the cap.
    expect((await post('u-other', 'email', 'promo')).status).toBe('sent');
    const promo = await post('u-other', 'email', 'promo');
    expect(promo.status).toBe('suppressed');
    expect(promo.statusReason).toContain('politeness limit promo.email=1/1h');
    expect((await post('u-other', 'email', null)).status).toBe('sent');
  });
});
