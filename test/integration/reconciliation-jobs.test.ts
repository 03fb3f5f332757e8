import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { QueueDirectory } from '../../src/infrastructure/sqs/queue-directory';
import { PurgeIdempotencyKeys } from '../../src/modules/reconciliation/application/purge-idempotency-keys.use-case';
import { RepublishStuckOutbox } from '../../src/modules/reconciliation/application/republish-stuck-outbox.use-case';
import { RequeueStrandedNotifications } from '../../src/modules/reconciliation/application/requeue-stranded-notifications.use-case';
import { emailRequest } from '../factories/notification-requests';
import { ADMIN_KEY, eventually, startHerald, type Herald } from '../support/herald-harness';

/** Herald without a relay or a worker: outbox entries and queue messages stay where the jobs can be watched. */
describe('reconciliation jobs', () => {
  let herald: Herald;
  const auth = { Authorization: `Bearer ${ADMIN_KEY}` };

  beforeAll(async () => {
    herald = await startHerald({
      HERALD_ROLES: 'api,scheduler',
      OUTBOX_STUCK_AFTER: '1s',
      QUEUED_STRANDED_AFTER: '1s',
      // Long intervals: the test runs the jobs itself, except where it checks the scheduler.
      RECONCILE_INTERVAL: '1h',
      IDEMPOTENCY_PURGE_INTERVAL: '1h',
    });
  });
  afterAll(async () => {
    await herald.stop();
  });

  async function accept(key?: string): Promise<string> {
    const req = herald.http.post('/v1/notifications').set(auth);
    if (key) req.set('Idempotency-Key', key);
    const res = await req.send(emailRequest()).expect(202);
    return res.body.notifications[0].id as string;
  }

  async function queueMessages(): Promise<string[]> {
    const sqs = herald.app.get(SQSClient);
    const url = herald.app.get(QueueDirectory).urlOf('email');
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 0, VisibilityTimeout: 60 }));
      for (const m of res.Messages ?? []) ids.push(...(JSON.parse(m.Body!) as { notificationIds: string[] }).notificationIds);
    }
    return ids;
  }

  it('publishes outbox entries that no relay published, once, and only after they have been due for OUTBOX_STUCK_AFTER', async () => {
    const id = await accept();
    await herald.db.query(`UPDATE outbox SET available_at = now() + interval '1 hour' WHERE notification_id <> $1`, [id]);
    const job = herald.app.get(RepublishStuckOutbox);
    // Fresh entry: not stuck yet.
    await herald.db.query(`UPDATE outbox SET available_at = now() WHERE notification_id = $1`, [id]);
    expect(await job.execute()).toEqual({ republished: 0 });
    await herald.db.query(`UPDATE outbox SET available_at = now() - interval '5 seconds' WHERE notification_id = $1`, [id]);
    expect(await job.execute()).toEqual({ republished: 1 });
    expect(await job.execute()).toEqual({ republished: 0 });
    const { rows } = await herald.db.query(`SELECT count(*)::int AS n FROM outbox WHERE notification_id = $1`, [id]);
    expect(rows[0].n).toBe(0);
    expect(await eventually(async () => ((await queueMessages()).includes(id) ? true : undefined), 10_000, 'message on the queue')).toBe(true);
  });

  it('gives a new outbox entry to a queued notification whose queue message was lost, and leaves others alone', async () => {
    const lost = await accept();
    const retrying = await accept();
    const fresh = await accept();
    // `lost`: published long ago, then its message vanished. `retrying`: an entry waits for its retry time. `fresh`: just published.
    await herald.db.query(`DELETE FROM outbox WHERE notification_id = ANY($1::uuid[])`, [[lost, fresh]]);
    await herald.db.query(`UPDATE notifications SET updated_at = now() - interval '10 seconds' WHERE id = ANY($1::uuid[])`, [[lost, retrying]]);
    await herald.db.query(`UPDATE outbox SET available_at = now() + interval '1 hour' WHERE notification_id = $1`, [retrying]);
    const job = herald.app.get(RequeueStrandedNotifications);
    expect(await job.execute()).toEqual({ requeued: 1 });
    expect(await job.execute()).toEqual({ requeued: 0 });
    const { rows } = await herald.db.query(`SELECT notification_id AS id FROM outbox WHERE notification_id = ANY($1::uuid[])`, [[lost, retrying, fresh]]);
    expect(rows.map((r: { id: string }) => r.id).sort()).toEqual([lost, retrying].sort());
    const status = await herald.db.query(`SELECT status FROM notifications WHERE id = $1`, [lost]);
    expect(status.rows[0].status).toBe('queued');
  });

  it('does not count a retry that is not due yet as stranded', async () => {
    const id = await accept();
    await herald.db.query(`DELETE FROM outbox WHERE notification_id = $1`, [id]);
    await herald.db.query(
      `UPDATE notifications SET updated_at = now() - interval '1 hour', next_attempt_at = now() + interval '10 minutes' WHERE id = $1`,
      [id],
    );
    expect(await herald.app.get(RequeueStrandedNotifications).execute()).toEqual({ requeued: 0 });
  });

  it('releases idempotency keys older than IDEMPOTENCY_RETENTION_HOURS so that the key can be used again', async () => {
    const oldKey = `old-${Date.now()}`;
    const newKey = `new-${Date.now()}`;
    await accept(oldKey);
    await accept(newKey);
    await herald.db.query(`UPDATE notification_requests SET created_at = now() - interval '73 hours' WHERE idempotency_key = $1`, [oldKey]);
    const job = herald.app.get(PurgeIdempotencyKeys);
    expect((await job.execute()).released).toBe(1);
    expect((await job.execute()).released).toBe(0);
    const { rows } = await herald.db.query(`SELECT idempotency_key FROM notification_requests WHERE idempotency_key = ANY($1)`, [[oldKey, newKey]]);
    expect(rows.map((r: { idempotency_key: string }) => r.idempotency_key)).toEqual([newKey]);
    // The released key is accepted again as a new request (a different body would have been refused before).
    const again = await herald.http.post('/v1/notifications').set(auth).set('Idempotency-Key', oldKey).send(emailRequest()).expect(202);
    expect(again.headers['idempotent-replayed']).toBeUndefined();
  });
});

describe('reconciliation on the scheduler role', () => {
  let herald: Herald;
  const auth = { Authorization: `Bearer ${ADMIN_KEY}` };

  beforeAll(async () => {
    // No relay: only the scheduler can move the outbox entry; no worker: the message stays on the queue.
    herald = await startHerald({ HERALD_ROLES: 'api,scheduler', OUTBOX_STUCK_AFTER: '500ms', RECONCILE_INTERVAL: '300ms' });
  });
  afterAll(async () => {
    await herald.stop();
  });

  it('publishes a stuck outbox entry on its interval', async () => {
    const res = await herald.http.post('/v1/notifications').set(auth).send(emailRequest()).expect(202);
    const id = res.body.notifications[0].id as string;
    await eventually(async () => {
      const { rows } = await herald.db.query(`SELECT count(*)::int AS n FROM outbox WHERE notification_id = $1`, [id]);
      return rows[0].n === 0 ? true : undefined;
    }, 20_000, 'outbox entry published by the scheduler');
  });
});
