import { emailRequest } from '../factories/notification-requests';
import { ADMIN_KEY, startHerald, type Herald } from '../support/herald-harness';

describe('intake: concurrent requests share transactions without mixing up their results', () => {
  let herald: Herald;
  const auth = { Authorization: `Bearer ${ADMIN_KEY}` };

  beforeAll(async () => {
    // Workers are not needed: these tests look at what intake stored.
    herald = await startHerald({ HERALD_ROLES: 'api', DATABASE_POOL_SIZE: '2' });
  });
  afterAll(async () => {
    await herald.stop();
  });

  it('answers 60 concurrent single requests each with its own notification, stored once', async () => {
    const bodies = Array.from({ length: 60 }, () => emailRequest());
    const responses = await Promise.all(
      bodies.map((body, i) => herald.http.post('/v1/notifications').set(auth).set('Idempotency-Key', `gc-${Date.now()}-${i}`).send(body)),
    );
    for (const r of responses) expect(r.status).toBe(202);
    const ids = responses.map((r) => r.body.notifications[0].id as string);
    expect(new Set(ids).size).toBe(60);
    const { rows } = await herald.db.query(`SELECT id, recipient->>'email' AS email FROM notifications WHERE id = ANY($1::uuid[])`, [ids]);
    const emailOf = new Map(rows.map((r: { id: string; email: string }) => [r.id, r.email]));
    bodies.forEach((body, i) => expect(emailOf.get(ids[i])).toBe(body.recipient.email));
    const outbox = await herald.db.query(`SELECT count(*)::int AS n FROM outbox WHERE notification_id = ANY($1::uuid[])`, [ids]);
    expect(outbox.rows[0].n).toBe(60);
  });

  it('treats a key repeated inside one batch as a duplicate (same body) or a rejection (other body)', async () => {
    const same = emailRequest();
    const key = `in-batch-${Date.now()}`;
    const res = await herald.http
      .post('/v1/notifications/batch')
      .set(auth)
      .send({ items: [{ ...same, idempotencyKey: key }, { ...same, idempotencyKey: key }, { ...emailRequest(), idempotencyKey: key }] })
      .expect(202);
    expect(res.body).toMatchObject({ accepted: 1, duplicates: 1, rejected: 1 });
    expect(res.body.items.map((i: { outcome: string }) => i.outcome)).toEqual(['accepted', 'duplicate', 'rejected']);
    expect(res.body.items[1].notifications).toEqual(res.body.items[0].notifications);
    const { rows } = await herald.db.query(
      `SELECT count(*)::int AS n FROM notifications n JOIN notification_requests r ON r.id = n.request_id WHERE r.idempotency_key = $1`,
      [key],
    );
    expect(rows[0].n).toBe(1);
  });
});
