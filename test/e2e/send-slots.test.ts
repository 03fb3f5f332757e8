import { emailRequest } from '../factories/notification-requests';
import { ADMIN_KEY, eventually, sleep, startHerald, type Herald } from '../support/herald-harness';

describe('send slots: attempts start only when the channel has free send slots, and each outcome is committed as soon as it is known', () => {
  let herald: Herald;
  let release: () => void = () => undefined;

  beforeAll(async () => {
    // One pooled SMTP connection: four send slots (one message on the wire, three ready), in two waves of two.
    herald = await startHerald({ SMTP_POOL_SIZE: '1', SMTP_SENDS_PER_CONNECTION: '4', DISPATCH_LEASE: '10m', SMTP_SOCKET_TIMEOUT: '5m' });
  });
  afterAll(async () => {
    release();
    await herald.stop();
  });

  it('marks only the sends in flight as started, records a finished send while its wave is still sending, then sends every one once', async () => {
    const held = new Promise<void>((resolve) => (release = resolve));
    // The server accepts the first message, then holds the second (and every later one) until released.
    herald.smtp.respond = async () => {
      if (herald.smtp.received.length >= 2) await held;
      return undefined;
    };
    const items = Array.from({ length: 20 }, () => emailRequest());
    const res = await herald.http.post('/v1/notifications/batch').set('Authorization', `Bearer ${ADMIN_KEY}`).send({ items }).expect(202);
    const ids = (res.body.items as Array<{ notifications: Array<{ id: string }> }>).flatMap((i) => i.notifications.map((n) => n.id));
    expect(ids).toHaveLength(20);

    await eventually(() => (herald.smtp.received.length >= 2 ? true : undefined), 15_000, 'the second message at the server');
    await sleep(1000);
    const { rows } = await herald.db.query(
      `SELECT count(*) FILTER (WHERE status = 'sent')::int AS sent,
              count(*) FILTER (WHERE status = 'sending' AND provider_call_started_at IS NOT NULL)::int AS "inFlight",
              count(*) FILTER (WHERE status IN ('queued', 'sending') AND provider_call_started_at IS NULL)::int AS waiting
       FROM notifications WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    expect(herald.smtp.received).toHaveLength(2);
    // The first email is recorded as sent although the other email of its wave is held at the server; the two
    // waves hold the four send slots, so three attempts are in flight (one message at the server, two queued on
    // the connection) and the other sixteen are claimed or queued but not marked as being sent: a crash now
    // would leave only three unknown.
    expect(rows[0]).toEqual({ sent: 1, inFlight: 3, waiting: 16 });

    release();
    await eventually(() => (herald.smtp.accepted.length >= 20 ? true : undefined), 30_000, 'all twenty accepted');
    await sleep(500);
    const sentIds = herald.smtp.accepted.map((m) => m.headers['x-herald-notification-id']);
    expect(new Set(sentIds).size).toBe(20);
    expect(sentIds).toHaveLength(20);
    const after = await herald.db.query(`SELECT status, attempt_count FROM notifications WHERE id = ANY($1::uuid[])`, [ids]);
    expect(after.rows.every((r: { status: string; attempt_count: number }) => r.status === 'sent' && r.attempt_count === 1)).toBe(true);
  });
});
