import { randomBytes, randomUUID } from 'node:crypto';
import { GetQueueAttributesCommand, GetQueueUrlCommand, ReceiveMessageCommand, SendMessageBatchCommand, SQSClient, type SendMessageBatchRequestEntry } from '@aws-sdk/client-sqs';
import { writeRules } from '../support/dynamodb';
import { eventually, startHerald, type Herald } from '../support/herald-harness';

jest.setTimeout(180_000);

const RULES = `
rules:
  - name: order-placed
    match:
      source: shop.orders
      detailType: OrderPlaced
    notify:
      recipient:
        email: detail.customer.email
        userId: detail.customer.id
      channels: [email]
      category: orders
      content:
        email:
          subject: "Order {{detail.orderId}} placed"
          text: "Thanks, {{detail.customer.name}}"
      metadata:
        orderId: detail.orderId
`;

function eventBridgeEvent(i: number, id: string = randomUUID()) {
  return {
    version: '0',
    id,
    'detail-type': 'OrderPlaced',
    source: 'shop.orders',
    account: '123456789012',
    time: '2026-11-21T10:00:00Z',
    region: 'us-east-1',
    resources: [],
    detail: { orderId: `o-${i}`, customer: { id: `c-${i}`, email: `buyer${i}@example.com`, name: `Buyer ${i}` } },
  };
}

let herald: Herald;
let sqs: SQSClient;
let queueName: string;

beforeAll(async () => {
  const prefix = `t${randomBytes(4).toString('hex')}-`;
  queueName = `${prefix}intake`;
  herald = await startHerald({
    HERALD_ROLES: 'intake',
    SQS_QUEUE_PREFIX: prefix,
    INTAKE_QUEUE: queueName,
    EVENT_RULES_FILE: writeRules(RULES),
    SQS_MAX_RECEIVE_COUNT: '2',
    SQS_VISIBILITY_TIMEOUT_SECONDS: '2',
  });
  sqs = new SQSClient({ region: process.env.AWS_REGION, endpoint: process.env.SQS_ENDPOINT });
});

afterAll(async () => {
  sqs?.destroy();
  await herald?.stop();
});

async function send(queueUrl: string, entries: Array<Omit<SendMessageBatchRequestEntry, 'Id'>>): Promise<void> {
  for (let i = 0; i < entries.length; i += 10) {
    const chunk = entries.slice(i, i + 10).map((e, j) => ({ ...e, Id: String(j) }));
    const result = await sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: chunk }));
    expect(result.Failed ?? []).toEqual([]);
  }
}

describe('SQS intake queue (intake role)', () => {
  it('unwraps SNS notifications and uses their MessageId as the idempotency key', async () => {
    const queueUrl = await eventually(async () => (await sqs.send(new GetQueueUrlCommand({ QueueName: queueName }))).QueueUrl, 30_000, 'the intake queue');
    const sns = (messageId: string, i: number) =>
      JSON.stringify({
        Type: 'Notification',
        MessageId: messageId,
        TopicArn: 'arn:aws:sns:us-east-1:123456789012:orders',
        Message: JSON.stringify(eventBridgeEvent(i, `inner-${i}`)),
        Timestamp: '2026-11-21T10:00:00.000Z',
      });
    // The second copy has the same SNS MessageId (SNS retried the delivery): one notification.
    await send(queueUrl, [{ MessageBody: sns('sns-1', 7001) }, { MessageBody: sns('sns-1', 7001) }, { MessageBody: sns('sns-2', 7002) }]);
    const stored = async () =>
      (
        await herald.db.query<{ key: string; email: string }>(
          `SELECT r.idempotency_key AS key, n.recipient->>'email' AS email FROM notifications n JOIN notification_requests r ON r.id = n.request_id
           WHERE n.recipient->>'email' IN ('buyer7001@example.com', 'buyer7002@example.com') ORDER BY 1`,
        )
      ).rows;
    await eventually(async () => ((await stored()).length >= 2 ? true : undefined), 30_000, 'two notifications');
    // All three messages handled (the queue is empty), and still two.
    await eventually(async () => {
      const attributes = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }));
      return attributes.Attributes?.ApproximateNumberOfMessages === '0' && attributes.Attributes?.ApproximateNumberOfMessagesNotVisible === '0' ? true : undefined;
    }, 30_000, 'an empty intake queue');
    expect(await stored()).toEqual([
      { key: 'sns-1:order-placed', email: 'buyer7001@example.com' },
      { key: 'sns-2:order-placed', email: 'buyer7002@example.com' },
    ]);
    await herald.db.query(`DELETE FROM notification_status_history; DELETE FROM outbox; DELETE FROM notifications; DELETE FROM notification_requests`);
  });

  it('turns 500 distinct EventBridge events, 20 of them sent twice, into exactly 500 notifications; rejects malformed ones with a reason', async () => {
    const queueUrl = await eventually(async () => (await sqs.send(new GetQueueUrlCommand({ QueueName: queueName }))).QueueUrl, 30_000, 'the intake queue');
    const events = Array.from({ length: 500 }, (_, i) => eventBridgeEvent(i));
    const bodies = [...events, ...events.filter((_, i) => i % 25 === 0)].map((e) => JSON.stringify(e));
    expect(bodies).toHaveLength(520);
    // Shuffled, so that copies land in other batches as well as the same one.
    for (let i = bodies.length - 1; i > 0; i--) {
      const j = Math.floor(Math.random() * (i + 1));
      [bodies[i], bodies[j]] = [bodies[j], bodies[i]];
    }
    const malformed = eventBridgeEvent(999, 'malformed-1');
    delete (malformed.detail.customer as { email?: string }).email;
    const request = {
      recipient: { email: 'ops@example.com' },
      channels: ['email'],
      content: { email: { subject: 'Direct request', text: 'Sent as to the API' } },
    };
    const requestAttributes = { IdempotencyKey: { DataType: 'String', StringValue: 'direct-1' } };
    await send(queueUrl, [
      ...bodies.slice(0, 260).map((MessageBody) => ({ MessageBody })),
      { MessageBody: JSON.stringify(malformed) },
      { MessageBody: 'not json at all' },
      { MessageBody: JSON.stringify(request), MessageAttributes: requestAttributes },
      { MessageBody: JSON.stringify({ ...request, channels: ['email', 'email'] }), MessageAttributes: { IdempotencyKey: { DataType: 'String', StringValue: 'bad-1' } } },
      ...bodies.slice(260).map((MessageBody) => ({ MessageBody })),
      { MessageBody: JSON.stringify(request), MessageAttributes: requestAttributes },
    ]);

    const count = async (sql: string) => (await herald.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM (${sql}) q`)).rows[0].n;
    await eventually(async () => ((await count('SELECT 1 FROM notifications')) >= 501 ? true : undefined), 120_000, '501 notifications');
    const { rows } = await herald.db.query<{ email: string; order_id: string; n: number }>(
      `SELECT recipient->>'email' AS email, metadata->>'orderId' AS order_id, count(*)::int AS n FROM notifications
       WHERE metadata->>'rule' = 'order-placed' GROUP BY 1, 2`,
    );
    expect(rows).toHaveLength(500);
    expect(rows.every((r) => r.n === 1 && r.email === `buyer${r.order_id.slice(2)}@example.com`)).toBe(true);
    expect(await count(`SELECT 1 FROM notifications WHERE recipient->>'email' = 'ops@example.com'`)).toBe(1);
    expect(await count(`SELECT 1 FROM notification_requests WHERE source = 'intake:${queueName}'`)).toBe(501);

    const rejected = await eventually(async () => {
      const result = await herald.db.query<{ event_id: string; rule: string; reason: string }>(`SELECT event_id, rule, reason FROM rejected_events ORDER BY reason`);
      return result.rows.length === 3 ? result.rows : undefined;
    });
    expect(rejected).toEqual([
      { event_id: 'bad-1', rule: '', reason: 'channels[1] lists "email" twice' },
      { event_id: 'malformed-1', rule: 'order-placed', reason: 'recipient.email: no value at detail.customer.email' },
      { event_id: expect.stringMatching(/^[0-9a-f-]{36}$/), rule: '', reason: 'the message body is not JSON' },
    ]);

    // Rejected messages are left on the queue, so its redrive policy moves them to the dead-letter queue.
    const dlqUrl = (await sqs.send(new GetQueueUrlCommand({ QueueName: `${queueName}-dlq` }))).QueueUrl!;
    const dead: string[] = [];
    await eventually(
      async () => {
        const received = await sqs.send(new ReceiveMessageCommand({ QueueUrl: dlqUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, VisibilityTimeout: 60 }));
        dead.push(...(received.Messages ?? []).map((m) => m.Body ?? ''));
        return dead.length >= 3 ? true : undefined;
      },
      90_000,
      'three messages in the dead-letter queue',
    );
    expect(dead.some((b) => b.includes('malformed-1'))).toBe(true);
    expect(dead).toContain('not json at all');
    // Still exactly 500 + 1 after the redeliveries.
    expect(await count('SELECT 1 FROM notifications')).toBe(501);
  });
});
