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
