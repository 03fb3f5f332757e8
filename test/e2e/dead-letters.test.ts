import { GetQueueAttributesCommand, GetQueueUrlCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { QueueDirectory } from '../../src/infrastructure/sqs/queue-directory';
import { emailRequest } from '../factories/notification-requests';
import { ADMIN_KEY, eventually, sleep, startHerald, type Herald } from '../support/herald-harness';

const auth = { Authorization: `Bearer ${ADMIN_KEY}` };

async function statusOf(herald: Herald, id: string): Promise<string> {
  return ((await herald.http.get(`/v1/notifications/${id}`).set(auth).expect(200)).body as { status: string }).status;
}

describe('failed notifications: listed with their last error, redriven by id, filter or all', () => {
  let herald: Herald;

  beforeAll(async () => {
    herald = await startHerald();
    herald.smtp.respond = (mail) => (mail.to.some((t) => t.startsWith('bounce-')) ? { code: 550, message: '5.1.1 mailbox unavailable' } : undefined);
  });
  afterAll(async () => {
    await herald.stop();
  });

  async function failedOne(category: string): Promise<string> {
    const body = emailRequest({ category });
    body.recipient.email = `bounce-${body.recipient.email}`;
    const id = (await herald.http.post('/v1/notifications').set(auth).send(body).expect(202)).body.notifications[0].id as string;
    await eventually(async () => ((await statusOf(herald, id)) === 'failed' ? true : undefined), 15_000, 'failed');
    return id;
  }

  it('lists a failed notification with its last error, and redrives it by id to a single delivery', async () => {
    const id = await failedOne('receipts');
    const list = await herald.http.get('/v1/failed-notifications').query({ channel: 'email', errorCode: 'smtp_550' }).set(auth).expect(200);
    const item = list.body.items.find((i: { id: string }) => i.id === id);
    expect(item).toMatchObject({ channel: 'email', category: 'receipts', attemptCount: 1, lastError: { code: 'smtp_550' } });
    expect(item.lastError.message).toContain('mailbox unavailable');
    expect(item.reason).toContain('smtp_550');

    const before = herald.smtp.accepted.length;
    herald.smtp.respond = () => undefined;
    const res = await herald.http.post('/v1/failed-notifications/redrive').set(auth).send({ ids: [id] }).expect(200);
    expect(res.body).toEqual({ redriven: 1, ids: [id] });
    await eventually(async () => ((await statusOf(herald, id)) === 'sent' ? true : undefined), 15_000, 'sent after redrive');
    // A second redrive of the same id finds nothing failed.
    expect((await herald.http.post('/v1/failed-notifications/redrive').set(auth).send({ ids: [id] }).expect(200)).body.redriven).toBe(0);
    await sleep(300);
    expect(herald.smtp.accepted.slice(before).filter((m) => m.headers['x-herald-notification-id'] === id)).toHaveLength(1);
    const view = (await herald.http.get(`/v1/notifications/${id}`).set(auth)).body;
    expect(view.history.map((h: { to: string }) => h.to)).toEqual(['queued', 'sending', 'failed', 'queued', 'sending', 'sent']);
    expect(view.attempts.map((a: { outcome: string }) => a.outcome)).toEqual(['permanent_failure', 'sent']);
  });

  it('redrives by filter only the matching ones, then all the rest', async () => {
    herald.smtp.respond = (mail) => (mail.to.some((t) => t.startsWith('bounce-')) ? { code: 550, message: '5.1.1 mailbox unavailable' } : undefined);
    const a = await failedOne('cat-a');
    const b = await failedOne('cat-b');
    const byFilter = await herald.http.post('/v1/failed-notifications/redrive').set(auth).send({ filter: { category: 'cat-a' } }).expect(200);
    expect(byFilter.body.ids).toEqual([a]);
    expect(await statusOf(herald, b)).toBe('failed');
    // `a` fails again (the server still refuses it); `all` then takes both.
    await eventually(async () => ((await statusOf(herald, a)) === 'failed' ? true : undefined), 15_000, 'a failed again');
    const all = await herald.http.post('/v1/failed-notifications/redrive').set(auth).send({ all: true }).expect(200);
    expect(all.body.ids.sort()).toEqual([a, b].sort());
  });

  it('refuses a redrive that gives none or several of ids, filter and all, or an empty filter', async () => {
    for (const body of [{}, { all: true, ids: ['0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b'] }, { filter: {} }]) {
      const res = await herald.http.post('/v1/failed-notifications/redrive').set(auth).send(body).expect(400);
      expect(res.body.error.code).toBe('validation_failed');
    }
    await herald.http.get('/v1/failed-notifications').query({ limit: 0 }).set(auth).expect(400);
  });
});

describe('dead-letter queue: a poison message ends there; dead letters are listed and redriven', () => {
  let herald: Herald;

  beforeAll(async () => {
    herald = await startHerald({ SQS_MAX_RECEIVE_COUNT: '2', SQS_VISIBILITY_TIMEOUT_SECONDS: '1' });
  });
  afterAll(async () => {
    await herald.stop();
  });

  it('moves a message the worker cannot read to the dead-letter queue after maxReceiveCount receives, and keeps it there on redrive', async () => {
    const sqs = herald.app.get(SQSClient);
    const queueUrl = herald.app.get(QueueDirectory).urlOf('email');
    const policy = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['RedrivePolicy'] }));
    expect(JSON.parse(policy.Attributes!.RedrivePolicy!).maxReceiveCount).toBe(2);
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'this is not a dispatch message' }));

    const poison = await eventually(
      async () => {
        const res = await herald.http.get('/v1/dead-letters/email').set(auth).expect(200);
        return res.body.items.find((i: { body: string }) => i.body === 'this is not a dispatch message');
      },
      30_000,
      'the poison message in the dead-letter queue',
    );
    expect(poison).toMatchObject({ notificationIds: [], notifications: [] });
    expect(poison.receiveCount).toBeGreaterThanOrEqual(2);

    // A dead-lettered message that names a real notification, beside the poison one.
    const id = (await herald.http.post('/v1/notifications').set(auth).send(emailRequest()).expect(202)).body.notifications[0].id as string;
    await eventually(async () => ((await statusOf(herald, id)) === 'sent' ? true : undefined), 15_000, 'sent');
    const name = `${herald.env.SQS_QUEUE_PREFIX}email-dlq`;
    const dlqUrl = (await sqs.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl!;
    await sqs.send(new SendMessageCommand({ QueueUrl: dlqUrl, MessageBody: JSON.stringify({ notificationId: id, channel: 'email' }) }));
    const listed = await herald.http.get('/v1/dead-letters/email').set(auth).expect(200);
    const letter = listed.body.items.find((i: { notificationIds: string[] }) => i.notificationIds.includes(id));
    expect(letter.notifications).toEqual([expect.objectContaining({ id, status: 'sent' })]);

    const sentBefore = herald.smtp.accepted.length;
    const report = await herald.http.post('/v1/dead-letters/email/redrive').set(auth).send({ all: true }).expect(200);
    expect(report.body).toEqual({ redriven: 1, poison: 1 });
    const after = await herald.http.get('/v1/dead-letters/email').set(auth).expect(200);
    expect(after.body.items.map((i: { body: string }) => i.body)).toEqual(['this is not a dispatch message']);
    // The redriven message reaches a worker, which finds the notification already sent: nothing is sent twice.
    await sleep(2000);
    expect(herald.smtp.accepted.length).toBe(sentBefore);
    await herald.http.get('/v1/dead-letters/pigeon').set(auth).expect(400);
  });
});
