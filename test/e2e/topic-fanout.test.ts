import { Client } from 'pg';
import { ADMIN_KEY, eventually, sleep, startHerald, type Herald } from '../support/herald-harness';

const SUBSCRIBERS = 5000;
// No relay and no worker: the notifications stay where the fan-out put them, to be counted.
const FANOUT_ONLY = { HERALD_ROLES: 'api,scheduler', FANOUT_POLL_INTERVAL: '50ms' };
const auth = { Authorization: `Bearer ${ADMIN_KEY}` };

const userIds = (prefix: string) => Array.from({ length: SUBSCRIBERS }, (_, i) => `${prefix}-${String(i).padStart(5, '0')}`);

async function counts(herald: Herald, requestId: string) {
  const { rows } = await herald.db.query(
    `SELECT channel, count(*)::int AS n, count(DISTINCT recipient_key)::int AS recipients,
            (SELECT count(*)::int FROM outbox o JOIN notifications x ON x.id = o.notification_id WHERE x.request_id = $1) AS outbox
     FROM notifications WHERE request_id = $1 GROUP BY channel`,
    [requestId],
  );
  return rows;
}

const progress = async (herald: Herald, id: string) => (await herald.http.get(`/v1/fanouts/${id}`).set(auth).expect(200)).body;

describe('topics and fan-out', () => {
  let herald: Herald;

  beforeAll(async () => {
    herald = await startHerald({ ...FANOUT_ONLY, FANOUT_BATCH_SIZE: '500' });
    await herald.http
      .put('/v1/templates/new-book')
      .set(auth)
      .send({
        defaultLocale: 'en',
        variables: ['title'],
        locales: { en: { email: { subject: 'New book: {{title}}', text: 'Out now: {{title}}' } }, fr: { email: { subject: 'Nouveau livre : {{title}}', text: '{{title}}' } } },
      })
      .expect(200);
  });
  afterAll(async () => {
    await herald.stop();
  });

  it('subscribes and unsubscribes users and lists subscribers with cursor pagination', async () => {
    await herald.http.put('/v1/topics/author:a-1').set(auth).send({ name: 'Followers of a-1' }).expect(200);
    expect((await herald.http.post('/v1/topics/author:a-1/subscribers').set(auth).send({ userIds: ['u-3', 'u-1', 'u-2', 'u-4'] }).expect(200)).body).toEqual({ added: 4 });
    expect((await herald.http.post('/v1/topics/author:a-1/subscribers').set(auth).send({ userIds: ['u-1', 'u-5'] }).expect(200)).body).toEqual({ added: 1 });
    expect((await herald.http.delete('/v1/topics/author:a-1/subscribers/u-2').set(auth).expect(200)).body).toEqual({ removed: 1 });
    const first = await herald.http.get('/v1/topics/author:a-1/subscribers?limit=2').set(auth).expect(200);
    expect(first.body).toEqual({ userIds: ['u-1', 'u-3'], nextCursor: 'u-3' });
    const second = await herald.http.get('/v1/topics/author:a-1/subscribers?limit=2&after=u-3').set(auth).expect(200);
    expect(second.body).toEqual({ userIds: ['u-4', 'u-5'], nextCursor: null });
    expect((await herald.http.get('/v1/topics/author:a-1').set(auth).expect(200)).body).toMatchObject({ key: 'author:a-1', subscriberCount: 4 });
    await herald.http.get('/v1/topics/nobody/subscribers').set(auth).expect(404);
    await herald.http.get('/v1/topics/author:a-1/subscribers?limit=0').set(auth).expect(400);
  });

  it('accepts once with an idempotency key and fans out to exactly 5,000 notifications, in each subscriber locale', async () => {
    const users = userIds('reader');
    await herald.http.post('/v1/topics/author:a-7/subscribers').set(auth).send({ userIds: users }).expect(200);
    await herald.http.put(`/v1/recipients/${users[42]}`).set(auth).send({ email: 'r42@example.com', locale: 'fr-BE' }).expect(200);

    const body = { channels: ['email'], template: { key: 'new-book', data: { title: 'Engines' } }, category: 'new-books' };
    const accepted = await herald.http.post('/v1/topics/author:a-7/notifications').set(auth).set('Idempotency-Key', 'book-b-1').send(body).expect(202);
    expect(accepted.body).toMatchObject({ topicKey: 'author:a-7', total: SUBSCRIBERS, done: false, channels: ['email'] });
    expect(accepted.headers.location).toBe(`/v1/fanouts/${accepted.body.id}`);
    const replay = await herald.http.post('/v1/topics/author:a-7/notifications').set(auth).set('Idempotency-Key', 'book-b-1').send(body).expect(202);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body.id).toBe(accepted.body.id);
    await herald.http
      .post('/v1/topics/author:a-7/notifications')
      .set(auth)
      .set('Idempotency-Key', 'book-b-1')
      .send({ ...body, template: { key: 'new-book', data: { title: 'Other' } } })
      .expect(422);

    const done = await eventually(async () => {
      const p = await progress(herald, accepted.body.id);
      return p.done ? p : undefined;
    }, 60_000, 'fan-out done');
    expect(done).toMatchObject({ total: SUBSCRIBERS, created: SUBSCRIBERS, done: true });
    expect(await counts(herald, accepted.body.requestId)).toEqual([{ channel: 'email', n: SUBSCRIBERS, recipients: SUBSCRIBERS, outbox: SUBSCRIBERS }]);
    const { rows } = await herald.db.query(`SELECT recipient_key, content->>'subject' AS subject FROM notifications WHERE request_id = $1 AND recipient_key = ANY($2)`, [
      accepted.body.requestId,
      [users[42], users[43]],
    ]);
    const subjects = Object.fromEntries(rows.map((r) => [r.recipient_key, r.subject]));
    expect(subjects).toEqual({ [users[42]]: 'Nouveau livre : Engines', [users[43]]: 'New book: Engines' });
    // Time-ordered ids, as intake's: version 7, the first 48 bits the creation time in milliseconds.
    const ids = await herald.db.query(`SELECT id::text, (extract(epoch FROM created_at) * 1000)::bigint AS created_ms FROM notifications WHERE request_id = $1`, [accepted.body.requestId]);
    for (const { id, created_ms } of ids.rows as Array<{ id: string; created_ms: string }>) {
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(Math.abs(parseInt(id.replace(/-/g, '').slice(0, 12), 16) - Number(created_ms))).toBeLessThan(5_000);
    }

    // A run that lost its cursor (as if a crash had hit before it was saved) creates nothing twice.
    await herald.db.query(`UPDATE topic_fanouts SET cursor_user_id = NULL, done = false WHERE id = $1`, [accepted.body.id]);
    await eventually(async () => ((await progress(herald, accepted.body.id)).done ? true : undefined), 60_000, 'second pass done');
    expect((await progress(herald, accepted.body.id)).created).toBe(SUBSCRIBERS);
    expect(await counts(herald, accepted.body.requestId)).toEqual([{ channel: 'email', n: SUBSCRIBERS, recipients: SUBSCRIBERS, outbox: SUBSCRIBERS }]);
  });

  it('resumes a fan-out stopped halfway by a shutdown: still exactly 5,000, none missing', async () => {
    // Small batches with a pause between them, so the shutdown lands in the middle of the run.
    const first = await startHerald({ ...FANOUT_ONLY, FANOUT_BATCH_SIZE: '100', FANOUT_BATCH_PAUSE: '60ms' });
    let second: Herald | null = null;
    try {
      const users = userIds('fan');
      await first.http.post('/v1/topics/author:a-9/subscribers').set(auth).send({ userIds: users }).expect(200);
      const accepted = await first.http
        .post('/v1/topics/author:a-9/notifications')
        .set(auth)
        .set('Idempotency-Key', 'book-b-9')
        .send({ channels: ['email'], content: { email: { subject: 'New book', text: 'Out now' } } })
        .expect(202);
      const fanoutId = accepted.body.id;
      await eventually(async () => ((await progress(first, fanoutId)).created >= 1000 ? true : undefined), 60_000, '1,000 created');
      await first.stop({ keepDatabase: true });

      const db = new Client({ connectionString: first.database.url });
      await db.connect();
      const read = async () => (await db.query(`SELECT created_count, done, cursor_user_id FROM topic_fanouts WHERE id = $1`, [fanoutId])).rows[0];
      const atStop = await read();
      await sleep(500);
      const later = await read();
      await db.end();
      // Interrupted for real: part done, not finished, and nothing moves while no Herald runs.
      expect(atStop.done).toBe(false);
      expect(atStop.created_count).toBeGreaterThanOrEqual(1000);
      expect(atStop.created_count).toBeLessThan(SUBSCRIBERS);
      expect(later).toEqual(atStop);

      second = await startHerald({ ...FANOUT_ONLY, FANOUT_BATCH_SIZE: '100' }, { database: first.database });
      const done = await eventually(async () => {
        const p = await progress(second!, fanoutId);
        return p.done ? p : undefined;
      }, 60_000, 'fan-out resumed and done');
      expect(done).toMatchObject({ total: SUBSCRIBERS, created: SUBSCRIBERS, done: true });
      expect(await counts(second, accepted.body.requestId)).toEqual([{ channel: 'email', n: SUBSCRIBERS, recipients: SUBSCRIBERS, outbox: SUBSCRIBERS }]);
      const missing = await second.db.query(
        `SELECT count(*)::int AS n FROM topic_subscriptions s WHERE s.topic_key = 'author:a-9'
           AND NOT EXISTS (SELECT 1 FROM notifications n WHERE n.request_id = $1 AND n.recipient_key = s.user_id)`,
        [accepted.body.requestId],
      );
      expect(missing.rows[0].n).toBe(0);
    } finally {
      if (second) await second.stop();
      else await first.database.drop();
    }
  });
});
