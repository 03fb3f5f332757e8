import { DeleteMessageBatchCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { QueueDirectory } from '../../src/infrastructure/sqs/queue-directory';
import { PublishOutbox } from '../../src/modules/dispatch/application/publish-outbox.use-case';
import { emailRequest } from '../factories/notification-requests';
import { ADMIN_KEY, startHerald, type Herald } from '../support/herald-harness';

describe('outbox relay', () => {
  let herald: Herald;

  beforeAll(async () => {
    // API only: no relay loop and no worker, so the test drives publishing and reads the queue itself.
    herald = await startHerald({ HERALD_ROLES: 'api', RELAY_BATCH_SIZE: '40', RELAY_IDS_PER_MESSAGE: '7' });
  });
  afterAll(async () => {
    await herald.stop();
  });

  it('publishes every outbox row exactly once when several relays drain concurrently, up to RELAY_IDS_PER_MESSAGE per message', async () => {
    const relay = herald.app.get(PublishOutbox);
    const drainer = async () => {
      let total = 0;
      for (;;) {
        const n = await relay.execute();
        if (n === 0) return total;
        total += n;
      }
    };
    // On a busy machine one relay can drain everything before the others have their first database
    // connection; the round is then repeated (each round must still publish every row exactly once).
    let rounds = 0;
    let sharedWork = false;
    while (!sharedWork && rounds < 5) {
      rounds++;
      const items = Array.from({ length: 300 }, () => emailRequest());
      await herald.http.post('/v1/notifications/batch').set('Authorization', `Bearer ${ADMIN_KEY}`).send({ items }).expect(202);
      const published = await Promise.all([drainer(), drainer(), drainer()]);
      expect(published.reduce((a, b) => a + b, 0)).toBe(300);
      expect((await herald.db.query(`SELECT count(*)::int AS n FROM outbox`)).rows[0].n).toBe(0);
      sharedWork = published.filter((n) => n > 0).length > 1;
    }
    expect(sharedWork).toBe(true);

    const sqs = herald.app.get(SQSClient);
    const queueUrl = herald.app.get(QueueDirectory).urlOf('email');
    const seen: string[] = [];
    const sizes: number[] = [];
    for (let empty = 0; empty < 2; ) {
      const res = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, VisibilityTimeout: 60 }));
      const messages = res.Messages ?? [];
      if (messages.length === 0) {
        empty++;
        continue;
      }
      for (const m of messages) {
        const body = JSON.parse(m.Body!) as { channel: string; notificationIds: string[] };
        expect(body.channel).toBe('email');
        sizes.push(body.notificationIds.length);
        seen.push(...body.notificationIds);
      }
      await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) }));
    }
    const { rows } = await herald.db.query(`SELECT id FROM notifications`);
    expect(seen).toHaveLength(300 * rounds);
    // Passes of 40 rows: messages of 7 ids, and a last one of 5 (or fewer when another relay took part of a pass).
    expect(Math.max(...sizes)).toBe(7);
    expect(sizes.filter((n) => n === 7).length).toBeGreaterThan(sizes.length / 2);
    expect(new Set(seen)).toEqual(new Set(rows.map((r: { id: string }) => r.id)));
  });
});
