import { RecipientDirectory } from '../../src/domain/ports/recipient-directory.port';
import { emailRequest } from '../factories/notification-requests';
import { ADMIN_KEY, eventually, sleep, startHerald, type Herald } from '../support/herald-harness';

const auth = { Authorization: `Bearer ${ADMIN_KEY}` };

async function view(herald: Herald, id: string) {
  return (await herald.http.get(`/v1/notifications/${id}`).set(auth).expect(200)).body as {
    status: string;
    statusReason: string | null;
    nextAttemptAt: string | null;
    history: Array<{ to: string; reason: string | null }>;
  };
}

const mailsFor = (herald: Herald, id: string) => herald.smtp.accepted.filter((m) => m.headers['x-herald-notification-id'] === id);

describe('scheduled sends and cancellation', () => {
  let herald: Herald;

  beforeAll(async () => {
    herald = await startHerald({ SCHEDULED_RELEASE_INTERVAL: '200ms' });
  });
  afterAll(async () => {
    await herald.stop();
  });

  it('keeps a notification with sendAt scheduled until its time, then sends it once', async () => {
    const sendAt = new Date(Date.now() + 2500).toISOString();
    const res = await herald.http.post('/v1/notifications').set(auth).send(emailRequest({ sendAt })).expect(202);
    const id = res.body.notifications[0].id as string;
    expect(res.body.notifications[0].status).toBe('scheduled');
    await sleep(1000);
    expect((await view(herald, id)).status).toBe('scheduled');
    expect(mailsFor(herald, id)).toHaveLength(0);
    await eventually(async () => ((await view(herald, id)).status === 'sent' ? true : undefined), 20_000, 'sent at its time');
    expect(mailsFor(herald, id)).toHaveLength(1);
    expect(Date.parse(mailsFor(herald, id)[0].receivedAt)).toBeGreaterThanOrEqual(Date.parse(sendAt));
    const history = (await view(herald, id)).history;
    expect(history.map((h) => h.to)).toEqual(['scheduled', 'queued', 'sending', 'sent']);
    expect(history[0].reason).toContain('scheduled for');
  });

  it('cancels a scheduled notification, which is then never sent; a second cancel, or one after sending, is refused with 409', async () => {
    const sendAt = new Date(Date.now() + 1500).toISOString();
    const res = await herald.http.post('/v1/notifications').set(auth).send(emailRequest({ sendAt })).expect(202);
    const id = res.body.notifications[0].id as string;
    const cancelled = await herald.http.post(`/v1/notifications/${id}/cancel`).set(auth).expect(200);
    expect(cancelled.body).toEqual({ id, status: 'cancelled' });
    await sleep(2500);
    const after = await view(herald, id);
    expect(after.status).toBe('cancelled');
    expect(after.statusReason).toContain('cancelled by api:');
    expect(mailsFor(herald, id)).toHaveLength(0);
    const again = await herald.http.post(`/v1/notifications/${id}/cancel`).set(auth).expect(409);
    expect(again.body.error.code).toBe('notification_not_cancellable');

    const sentId = (await herald.http.post('/v1/notifications').set(auth).send(emailRequest()).expect(202)).body.notifications[0].id as string;
    await eventually(async () => ((await view(herald, sentId)).status === 'sent' ? true : undefined), 15_000, 'sent');
    expect((await herald.http.post(`/v1/notifications/${sentId}/cancel`).set(auth).expect(409)).body.error.message).toContain('is sent');
    await herald.http.post('/v1/notifications/0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b/cancel').set(auth).expect(404);
  });

  it('refuses a sendAt that is not a date or is more than a year ahead', async () => {
    const bad = await herald.http.post('/v1/notifications').set(auth).send(emailRequest({ sendAt: 'tomorrow' })).expect(400);
    expect(bad.body.error.details[0].field).toBe('sendAt');
    const far = new Date(Date.now() + 400 * 24 * 3_600_000).toISOString();
    const tooFar = await herald.http.post('/v1/notifications').set(auth).send(emailRequest({ sendAt: far })).expect(400);
    expect(tooFar.body.error.details).toEqual([{ field: 'sendAt', reason: 'must be at most a year ahead' }]);
  });
});

describe('quiet hours in the recipient time zone', () => {
  let herald: Herald;
  const hhmm = (d: Date) => d.toISOString().slice(11, 16);
  // A window around the current time in UTC, so that the test is inside it whenever it runs.
  const windowStart = new Date(Date.now() - 60 * 60_000);
  const windowEnd = new Date(Date.now() + 60 * 60_000);

  beforeAll(async () => {
    herald = await startHerald({ QUIET_HOURS: `${hhmm(windowStart)}-${hhmm(windowEnd)}`, QUIET_HOURS_EXEMPT_CATEGORIES: 'security' });
    const directory = herald.app.get(RecipientDirectory);
    for (const [userId, timezone] of [['u-utc', 'UTC'], ['u-far', 'Pacific/Kiritimati']] as const) {
      await directory.upsert({ userId, email: `${userId}@example.com`, phone: null, locale: null, timezone, deviceTokens: [], chatDestinations: [], attributes: {} });
    }
  });
  afterAll(async () => {
    await herald.stop();
  });

  async function send(userId: string, category: string): Promise<string> {
    const body = emailRequest({ category });
    body.recipient = { userId, email: `${userId}@example.com` };
    return (await herald.http.post('/v1/notifications').set(auth).send(body).expect(202)).body.notifications[0].id as string;
  }

  it('defers a non-critical notification to the end of the window (not dropped), and sends a critical one at once', async () => {
    const marketing = await send('u-utc', 'marketing');
    const security = await send('u-utc', 'security');
    await eventually(async () => ((await view(herald, security)).status === 'sent' ? true : undefined), 15_000, 'security sent');
    const deferred = await eventually(async () => {
      const v = await view(herald, marketing);
      return v.status === 'queued' && v.nextAttemptAt ? v : undefined;
    }, 15_000, 'marketing deferred');
    expect(deferred.statusReason).toContain('quiet hours');
    const until = Date.parse(deferred.nextAttemptAt!);
    const expected = Date.parse(`${windowEnd.toISOString().slice(0, 16)}:00.000Z`);
    expect(Math.abs(until - expected)).toBeLessThan(2000);
    expect(deferred.history.map((h) => h.to)).toEqual(['queued', 'sending', 'queued']);
    expect(mailsFor(herald, marketing)).toHaveLength(0);
    const { rows } = await herald.db.query(`SELECT available_at FROM outbox WHERE notification_id = $1`, [marketing]);
    expect(rows).toHaveLength(1);
    expect(Math.abs(new Date(rows[0].available_at).getTime() - until)).toBeLessThan(1000);
  });

  it('does not hold back a recipient whose local time is outside the window, or who has no known time zone', async () => {
    // Kiritimati is UTC+14: 14 hours after the UTC window, outside it.
    const far = await send('u-far', 'marketing');
    const unknown = await send('u-nobody', 'marketing');
    for (const id of [far, unknown]) await eventually(async () => ((await view(herald, id)).status === 'sent' ? true : undefined), 15_000, 'sent');
  });
});
