import { emailRequest } from '../factories/notification-requests';
import { ADMIN_KEY, eventually, sleep, startHerald, type Herald } from '../support/herald-harness';

describe('send slots: attempts start only when the channel has free send slots', () => {
  let herald: Herald;
  let release: () => void = () => undefined;

  beforeAll(async () => {
    // One pooled SMTP connection: four send slots (one message on the wire, three ready).
    herald = await startHerald({ SMTP_POOL_SIZE: '1', DISPATCH_LEASE: '10m', SMTP_SOCKET_TIMEOUT: '5m' });
  });
  afterAll(async () => {
    release();
    await herald.stop();
  });

  it('marks only the sends in flight as started while the server holds a message, then sends every one once', async () => {
    const held = new Promise<void>((resolve) => (release = resolve));
    herald.smtp.respond = async () => {
      await held;
      return undefined;
    };
    const items = Array.from({ length: 20 }, () => emailRequest());
    const res = await herald.http.post('/v1/notifications/batch').set('Authorization', `Bearer ${ADMIN_KEY}`).send({ items }).expect(202);
    const ids = (res.body.items as Array<{ notifications: Array<{ id: string }> }>).flatMap((i) => i.notifications.map((n) => n.id));
    expect(ids).toHaveLength(20);

    await eventually(() => (herald.smtp.received.length >= 1 ? true : undefined), 15_000, 'the first message at the server');
    await sleep(1000);
    const counts = async () =>
      (
        await herald.db.query(
          `SELECT count(*) FILTER (WHERE provider_call_started_at IS NOT NULL)::int AS started,
                  count(*) FILTER (WHERE status IN ('queued', 'sending') AND provider_call_started_at IS NULL)::int AS waiting
           FROM notifications WHERE id = ANY($1::uuid[])`,
          [ids],
        )
      ).rows[0] as { started: number; waiting: number };
    expect(herald.smtp.received).toHaveLength(1);
    // Without slots all twenty would be marked as being sent, and a crash now would leave them all unknown.
    expect(await counts()).toEqual({ started: 4, waiting: 16 });

    release();
    await eventually(() => (herald.smtp.accepted.length >= 20 ? true : undefined), 30_000, 'all twenty accepted');
    await sleep(500);
    const sentIds = herald.smtp.accepted.map((m) => m.headers['x-herald-notification-id']);
    expect(new Set(sentIds).size).toBe(20);
    expect(sentIds).toHaveLength(20);
    const { rows } = await herald.db.query(`SELECT status, attempt_count FROM notifications WHERE id = ANY($1::uuid[])`, [ids]);
    expect(rows.every((r: { status: string; attempt_count: number }) => r.status === 'sent' && r.attempt_count === 1)).toBe(true);
  });
});
