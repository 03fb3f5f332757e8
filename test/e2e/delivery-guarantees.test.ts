import { GetQueueAttributesCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { QueueDirectory } from '../../src/infrastructure/sqs/queue-directory';
import { DeliveryLedger } from '../../src/domain/ports/delivery-ledger.port';
import { PublishOutbox } from '../../src/modules/dispatch/application/publish-outbox.use-case';
import { emailRequest } from '../factories/notification-requests';
import { ADMIN_KEY, eventually, sleep, startHerald, type Herald } from '../support/herald-harness';

const auth = { Authorization: `Bearer ${ADMIN_KEY}` };

async function post(herald: Herald, body: object) {
  const res = await herald.http.post('/v1/notifications').set(auth).send(body).expect(202);
  return res.body.notifications[0].id as string;
}

async function statusOf(herald: Herald, id: string) {
  return (await herald.http.get(`/v1/notifications/${id}`).set(auth).expect(200)).body;
}

async function waitForStatus(herald: Herald, id: string, status: string) {
  return eventually(async () => {
    const view = await statusOf(herald, id);
    return view.status === status ? view : undefined;
  }, 20_000, `notification ${id} to be ${status}`);
}

describe('delivery guarantees on real parts', () => {
  let herald: Herald;

  beforeAll(async () => {
    herald = await startHerald({ DISPATCH_LEASE: '1500ms' });
  });
  afterAll(async () => {
    await herald.stop();
  });
  afterEach(() => {
    herald.smtp.respond = () => undefined;
  });

  it('sends one email when the same SQS message is delivered twice', async () => {
    const body = emailRequest();
    const id = await post(herald, body);
    await waitForStatus(herald, id, 'sent');
    // Deliver the same dispatch message again, by hand, twice.
    const sqs = herald.app.get(SQSClient);
    const queueUrl = herald.app.get(QueueDirectory).urlOf('email');
    for (let i = 0; i < 2; i++) {
      await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify({ notificationId: id, channel: 'email' }) }));
    }
    // The worker consumes and deletes both: wait until the queue holds nothing, visible or in flight.
    await eventually(async () => {
      const { Attributes: a } = await sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
      );
      return a?.ApproximateNumberOfMessages === '0' && a?.ApproximateNumberOfMessagesNotVisible === '0' ? true : undefined;
    }, 20_000, 'the duplicate messages to be consumed');
    expect(herald.smtp.accepted.filter((m) => m.to.includes(body.recipient.email))).toHaveLength(1);
    const view = await statusOf(herald, id);
    expect(view.attempts).toHaveLength(1);
    expect(view.status).toBe('sent');
  });

  it('retries after an SMTP 451 and sends on the next attempt, keeping both attempts in the history', async () => {
    const body = emailRequest();
    let answered451 = 0;
    herald.smtp.respond = (mail) => {
      if (mail.to.includes(body.recipient.email) && answered451 === 0) {
        answered451++;
        return { code: 451, message: '4.7.1 Greylisted, try again later' };
      }
      return undefined;
    };
    const id = await post(herald, body);
    const view = await waitForStatus(herald, id, 'sent');
    expect(answered451).toBe(1);
    expect(view.attempts).toHaveLength(2);
    expect(view.attempts[0]).toMatchObject({ attemptNumber: 1, outcome: 'transient_failure', errorCode: 'smtp_451', provider: 'smtp' });
    expect(view.attempts[0].errorMessage).toContain('Greylisted');
    expect(view.attempts[1]).toMatchObject({ attemptNumber: 2, outcome: 'sent' });
    expect(view.history.map((h: { to: string }) => h.to)).toEqual(['queued', 'sending', 'queued', 'sending', 'sent']);
    expect(herald.smtp.accepted.filter((m) => m.to.includes(body.recipient.email))).toHaveLength(1);
  });

  it('fails permanently on an SMTP 550 with the reply, without retrying', async () => {
    const body = emailRequest();
    herald.smtp.respond = (mail) => (mail.to.includes(body.recipient.email) ? { code: 550, message: '5.1.1 No such user here' } : undefined);
    const id = await post(herald, body);
    const view = await waitForStatus(herald, id, 'failed');
    expect(view.statusReason).toContain('smtp_550');
    expect(view.statusReason).toContain('No such user');
    expect(view.attempts).toHaveLength(1);
    expect(view.attempts[0]).toMatchObject({ outcome: 'permanent_failure', errorCode: 'smtp_550' });
    await sleep(1500);
    expect(herald.smtp.received.filter((m) => m.to.includes(body.recipient.email))).toHaveLength(1);
    expect((await statusOf(herald, id)).attempts).toHaveLength(1);
  });

});

describe('a worker that dies holding a notification', () => {
  let herald: Herald;

  beforeAll(async () => {
    // No relay role: the test decides when the outbox is published, so the dead worker surely claims first.
    herald = await startHerald({ HERALD_ROLES: 'api,worker:email,scheduler', DISPATCH_LEASE: '1s' });
  });
  afterAll(async () => {
    await herald.stop();
  });

  it('is sent once after the lease expires when the worker died before calling the provider', async () => {
    const body = emailRequest();
    const id = await post(herald, body);
    const claimed = await herald.app.get(DeliveryLedger).claimForSending([id], 'dead-worker', 1000);
    expect(claimed.map((c) => c.id)).toEqual([id]);
    // While the lease is valid, a message for it is left alone.
    await herald.app.get(PublishOutbox).execute();
    await sleep(1500);
    expect(herald.smtp.received.filter((m) => m.to.includes(body.recipient.email))).toHaveLength(0);
    // The scheduler finds the expired lease and queues the notification again.
    await eventually(async () => ((await statusOf(herald, id)).status === 'queued' ? true : undefined), 10_000, 'lease recovery');
    await herald.app.get(PublishOutbox).execute();
    const view = await waitForStatus(herald, id, 'sent');
    await sleep(1000);
    expect(herald.smtp.accepted.filter((m) => m.to.includes(body.recipient.email))).toHaveLength(1);
    expect(view.attempts).toHaveLength(1);
    expect(view.history.map((h: { to: string }) => h.to)).toEqual(['queued', 'sending', 'queued', 'sending', 'sent']);
    expect(view.history[2].reason).toContain('lease expired before the provider was called');
  });

  it('is marked unknown, and never resent, when the worker died after the provider call began', async () => {
    const body = emailRequest();
    const id = await post(herald, body);
    const ledger = herald.app.get(DeliveryLedger);
    await ledger.claimForSending([id], 'vanishing-worker', 1000);
    const started = await ledger.beginAttempts([id], 'vanishing-worker');
    expect(started).toHaveLength(1);
    const view = await waitForStatus(herald, id, 'unknown');
    expect(view.statusReason).toContain('may or may not');
    expect(view.attempts).toHaveLength(1);
    expect(view.attempts[0]).toMatchObject({ outcome: 'unknown', errorCode: 'worker_lost' });
    // Its queue message arrives: nothing is sent.
    await herald.app.get(PublishOutbox).execute();
    await sleep(2000);
    expect(herald.smtp.received.filter((m) => m.to.includes(body.recipient.email))).toHaveLength(0);
    expect((await statusOf(herald, id)).status).toBe('unknown');
  });
});
