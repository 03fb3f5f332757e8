import type { DynamoDBStreamEvent } from 'aws-lambda';
import { createDynamoDbStreamHandler, type DynamoDbStreamHandler } from '../../src/lambda/dynamodb-stream.handler';
import { orderRules, writeRules } from '../support/dynamodb';
import { ADMIN_KEY, startHerald, type Herald } from '../support/herald-harness';
import recorded from '../fixtures/dynamodb-stream-event.json';

const event = recorded as unknown as DynamoDBStreamEvent;
const streamArn = event.Records[0].eventSourceARN!;

let herald: Herald;
let lambda: DynamoDbStreamHandler;

beforeAll(async () => {
  // Herald migrates the database; the handler then runs against it as a Lambda would.
  herald = await startHerald({ HERALD_ROLES: 'api' });
  lambda = createDynamoDbStreamHandler({
    HERALD_ROLES: 'stream',
    DATABASE_URL: herald.env.DATABASE_URL,
    DATABASE_POOL_SIZE: '2',
    AWS_REGION: herald.env.AWS_REGION,
    EVENT_RULES_FILE: writeRules(orderRules('orders')),
    LOG_LEVEL: 'silent',
  });
});

afterAll(async () => {
  await lambda?.close();
  await herald?.stop();
});

describe('Lambda handler for DynamoDB stream events', () => {
  it('applies the rules through the same use case and reports the record it could not store', async () => {
    // The database refuses o-4 (as it would during a constraint or a disk problem); everything else is storable.
    await herald.db.query(`
      CREATE FUNCTION refuse_o4() RETURNS trigger AS $$
      BEGIN
        IF NEW.idempotency_key LIKE 'aa11bb22%' THEN RAISE EXCEPTION 'o-4 refused'; END IF;
        RETURN NEW;
      END $$ LANGUAGE plpgsql`);
    await herald.db.query(`CREATE TRIGGER refuse_o4 BEFORE INSERT ON notification_requests FOR EACH ROW EXECUTE FUNCTION refuse_o4()`);

    const response = await lambda.handler(event);
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: '100000000000000000005' }] });

    const notifications = () =>
      herald.db
        .query<{ source: string; idempotency_key: string; email: string; subject: string; order_id: string }>(
          `SELECT r.source, r.idempotency_key, n.recipient->>'email' AS email, n.content->>'subject' AS subject, n.metadata->>'orderId' AS order_id
           FROM notifications n JOIN notification_requests r ON r.id = n.request_id ORDER BY n.metadata->>'orderId', r.idempotency_key`,
        )
        .then((r) => r.rows);
    // Same source and keys as the stream poller uses: a record seen by both is notified once.
    const stored = [
      { source: streamArn, idempotency_key: '7f4c1e3a0b9d4b1c8e2f5a6d9c0b1e2f:order-created', email: 'ada@example.com', subject: 'Order o-1 received', order_id: 'o-1' },
      { source: streamArn, idempotency_key: '9e8d7c6b5a4f43e2d1c0b9a8f7e6d5c4:order-shipped', email: 'ada@example.com', subject: 'Order o-1 shipped', order_id: 'o-1' },
    ];
    expect(await notifications()).toEqual(stored);
    const rejected = await herald.db.query<{ event_id: string; rule: string; reason: string }>(`SELECT event_id, rule, reason FROM rejected_events ORDER BY event_id`);
    expect(rejected.rows).toEqual([
      { event_id: '0f1e2d3c4b5a49687766554433221100', rule: 'order-created', reason: '(request) contains a NUL character, which cannot be stored' },
      { event_id: '1a2b3c4d5e6f47a8b9c0d1e2f3a4b5c6', rule: 'order-created', reason: 'recipient.email: no value at new.email' },
    ]);

    // Lambda retries: nothing is created twice, and the same record is reported again.
    expect(await lambda.handler(event)).toEqual({ batchItemFailures: [{ itemIdentifier: '100000000000000000005' }] });
    expect(await notifications()).toEqual(stored);

    // Once the database accepts it, the retry stores the rest and nothing else.
    await herald.db.query(`DROP TRIGGER refuse_o4 ON notification_requests`);
    expect(await lambda.handler(event)).toEqual({ batchItemFailures: [] });
    expect(await notifications()).toEqual([
      ...stored,
      { source: streamArn, idempotency_key: 'aa11bb22cc33dd44ee55ff6677889900:order-created', email: 'linus@example.com', subject: 'Order o-4 received', order_id: 'o-4' },
    ]);
  });

  it('lists the rejected events over the API, newest first, page by page', async () => {
    const auth = { Authorization: `Bearer ${ADMIN_KEY}` };
    const first = await herald.http.get('/v1/rejected-events').query({ limit: 1, source: streamArn }).set(auth).expect(200);
    expect(first.body.items).toHaveLength(1);
    expect(first.body.items[0]).toMatchObject({ source: streamArn, rule: 'order-created', eventId: expect.any(String), reason: expect.any(String) });
    expect(first.body.nextCursor).toEqual(first.body.items[0].id);
    const second = await herald.http.get('/v1/rejected-events').query({ limit: 1, cursor: first.body.nextCursor }).set(auth).expect(200);
    expect(second.body.items).toHaveLength(1);
    expect(new Set([first.body.items[0].eventId, second.body.items[0].eventId])).toEqual(
      new Set(['0f1e2d3c4b5a49687766554433221100', '1a2b3c4d5e6f47a8b9c0d1e2f3a4b5c6']),
    );
    expect(second.body.items[0].payload.new.pk).toMatch(/^o-[23]$/);
    const none = await herald.http.get('/v1/rejected-events').query({ source: 'intake:elsewhere' }).set(auth).expect(200);
    expect(none.body).toEqual({ items: [], nextCursor: null });
    const bad = await herald.http.get('/v1/rejected-events').query({ cursor: 'abc' }).set(auth).expect(400);
    expect(bad.body.error.details).toEqual([{ field: 'cursor', reason: 'must be a cursor from a previous page' }]);
    await herald.http.get('/v1/rejected-events').expect(401);
  });
});
