import { emailRequest } from '../factories/notification-requests';
import { ADMIN_KEY, eventually, sleep, startHerald, type Herald } from '../support/herald-harness';

describe('send slots: attempts start only when the channel has free send slots, and each wave commits its own outcomes', () => {
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

  it('marks only the sends in flight as started, records finished waves at once, then sends every one once', async () => {
    const held = new Promise<void>((resolve) => (release = resolve));
    // The server accepts two messages, then holds the third (and every later one) until released.
    herald.smtp.respond = async () => {
      if (herald.smtp.received.length >= 3) await held;
      return undefined;
    };
    const items = Array.from({ length: 20 }, () => emailRequest());
    const res = await herald.http.post('/v1/notifications/batch').set('Authorization', `Bearer ${ADMIN_KEY}`).send({ items }).expect(202);
    const ids = (res.body.items as Array<{ notifications: Array<{ id: string }> }>).flatMap((i) => i.notifications.map((n) => n.id));
    expect(ids).toHaveLength(20);

    await eventually(() => (herald.smtp.received.length >= 3 ? true : undefined), 15_000, 'the third message at the server');
    await sleep(1000);
    const { rows } = await herald.db.query(
      `SELECT count(*) FILTER (WHERE status = 'sent')::int AS sent,
              count(*) FILTER (WHERE status = 'sending' AND provider_call_started_at IS NOT NULL)::int AS "inFlight",
              count(*) FILTER (WHERE status IN ('queued', 'sending') AND provider_call_started_at IS NULL)::int AS waiting
       FROM notifications WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    expect(herald.smtp.received).toHaveLength(3);
    // The first wave's two emails are recorded as sent while the batch is still being sent; the two waves now
    // in flight hold four attempts (one message at the server, three queued on the connection); the other
    // fourteen are claimed or queued but not marked as being sent, so a crash now would leave only four unknown.
    expect(rows[0]).toEqual({ sent: 2, inFlight: 4, waiting: 14 });

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
