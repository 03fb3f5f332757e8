import { UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import type { Client } from 'pg';
import type { ExampleTable } from '../../src/local/dynamodb-local';
import { JsonLogger } from '../../src/infrastructure/logging/json-logger';
import { ADMIN_KEY, eventually, startHerald, type Herald } from '../support/herald-harness';
import { startHeraldProcess, type HeraldProcess } from '../support/herald-process';
import { LogCapture } from '../support/log-capture';
import { parsePrometheusText, sampleValue } from '../support/prometheus-text';
import { order, orderRules, startTestDynamoDb, writeRules, type TestDynamoDb } from '../support/dynamodb';

jest.setTimeout(300_000);

let dynamo: TestDynamoDb;
const running: Herald[] = [];

beforeAll(async () => {
  dynamo = await startTestDynamoDb();
}, 180_000);

afterEach(async () => {
  // Pollers sharing a database stop before the one that owns it.
  for (const herald of running.splice(0).reverse()) await herald.stop();
});

afterAll(async () => {
  await dynamo?.stop();
});

function pollerEnv(table: ExampleTable, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    HERALD_ROLES: 'stream',
    DYNAMODB_ENDPOINT: dynamo.local.endpoint,
    STREAM_SOURCES: table.streamArn,
    EVENT_RULES_FILE: writeRules(orderRules(table.tableName)),
    STREAM_POLL_INTERVAL: '100ms',
    STREAM_LEASE: '3s',
    STREAM_RELIST_INTERVAL: '2s',
    STREAM_BATCH_SIZE: '100',
    ...overrides,
  };
}

async function startPoller(table: ExampleTable, overrides: Record<string, string> = {}, logs?: LogCapture): Promise<Herald> {
  const herald = await startHerald(pollerEnv(table, overrides), logs ? { logger: new JsonLogger('info', logs) } : {});
  running.push(herald);
  return herald;
}

async function count(db: Client, sql: string, params: unknown[] = []): Promise<number> {
  const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM (${sql}) AS q`, params);
  return rows[0].n;
}

/** Waits until `n` notifications exist, then a little longer to see that no more arrive. */
async function expectExactly(db: Client, n: number, timeoutMs = 120_000): Promise<void> {
  await eventually(async () => ((await count(db, 'SELECT 1 FROM notifications')) >= n ? true : undefined), timeoutMs, `${n} notifications`);
  await new Promise((r) => setTimeout(r, 1500));
  expect(await count(db, 'SELECT 1 FROM notifications')).toBe(n);
}

async function expectOneNotificationPerOrder(db: Client, total: number, rule = 'order-created'): Promise<void> {
  const { rows } = await db.query<{ email: string; user_id: string; order_id: string; total: number; n: number }>(
    `SELECT recipient->>'email' AS email, recipient->>'userId' AS user_id, metadata->>'orderId' AS order_id, (metadata->>'total')::int AS total, count(*) OVER (PARTITION BY metadata->>'orderId')::int AS n
     FROM notifications WHERE metadata->>'rule' = $1 ORDER BY order_id`,
    [rule],
  );
  expect(rows).toHaveLength(total);
  rows.forEach((row, i) => {
    const expected = order(i);
    expect(row).toEqual({ email: expected.email, user_id: expected.customerId, order_id: expected.pk, total: expected.total, n: 1 });
  });
}

describe('DynamoDB Streams poller (stream role)', () => {
  it('turns 1,000 inserted items into exactly 1,000 notifications, and fires MODIFY rules only on the configured change', async () => {
    const table = await dynamo.createTable();
    const herald = await startPoller(table);
    const scrape = async () => parsePrometheusText((await herald.http.get('/metrics').expect(200)).text);
    expect(sampleValue(await scrape(), 'herald_stream_records_total', { outcome: 'accepted' })).toBe(0);
    await dynamo.putItems(table.tableName, Array.from({ length: 1000 }, (_, i) => order(i)));
    await expectExactly(herald.db, 1000);
    await expectOneNotificationPerOrder(herald.db, 1000);
    const [first] = (await herald.db.query(`SELECT content, category, status FROM notifications WHERE metadata->>'orderId' = 'o-0007'`)).rows;
    expect(first).toEqual({ content: { subject: 'Order o-0007 received', text: 'Total 70' }, category: 'orders', status: 'queued' });
    expect(await count(herald.db, `SELECT 1 FROM notification_requests WHERE source = $1`, [table.streamArn])).toBe(1000);

    const update = (pk: string, expression: string, values: Record<string, string>) =>
      dynamo.client.send(
        new UpdateItemCommand({
          TableName: table.tableName,
          Key: { pk: { S: pk } },
          UpdateExpression: expression,
          ExpressionAttributeValues: Object.fromEntries(Object.entries(values).map(([k, v]) => [k, { S: v }])),
        }),
      );
    // placed -> shipped for 5 orders, placed -> cancelled for 5, and an unrelated attribute change for 10.
    for (let i = 0; i < 10; i++) {
      await dynamo.client.send(
        new UpdateItemCommand({
          TableName: table.tableName,
          Key: { pk: { S: order(i).pk as string } },
          UpdateExpression: 'SET #s = :s',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':s': { S: i < 5 ? 'shipped' : 'cancelled' } },
        }),
      );
      await update(order(100 + i).pk as string, 'SET note = :n', { ':n': 'gift wrap' });
    }
    // Shipped again (no change) and placed -> cancelled -> shipped (not from "placed"): no new notification.
    for (let i = 0; i < 5; i++) {
      await dynamo.client.send(
        new UpdateItemCommand({
          TableName: table.tableName,
          Key: { pk: { S: order(i + 5).pk as string } },
          UpdateExpression: 'SET #s = :s',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':s': { S: 'shipped' } },
        }),
      );
    }
    await expectExactly(herald.db, 1005);
    const shipped = await herald.db.query<{ order_id: string }>(`SELECT metadata->>'orderId' AS order_id FROM notifications WHERE metadata->>'rule' = 'order-shipped' ORDER BY 1`);
    expect(shipped.rows.map((r) => r.order_id)).toEqual(['o-0000', 'o-0001', 'o-0002', 'o-0003', 'o-0004']);

    const ready = await herald.http.get('/health/ready').expect(200);
    expect(ready.body.info.stream).toMatchObject({ status: 'up', polling: true, degraded: false, alarms: [] });
    expect(ready.body.info.stream.shards).toHaveLength(1);
    expect(typeof ready.body.info.stream.maxLagSeconds).toBe('number');
    expect(ready.body.info.stream.counts).toMatchObject({ accepted: 1005 });
    // The same on the poller's /metrics: records by outcome, and the lag of the shard it read.
    const samples = await scrape();
    expect(sampleValue(samples, 'herald_stream_records_total', { outcome: 'accepted' })).toBe(1005);
    // Skipped: 10 unrelated changes, 5 to cancelled, 5 to shipped again or not from placed.
    expect(sampleValue(samples, 'herald_stream_records_total', { outcome: 'skipped' })).toBe(20);
    const shardId = ready.body.info.stream.shards[0].shardId as string;
    expect(samples.filter((s) => s.name === 'herald_stream_lag_seconds' && s.labels.stream === `${table.streamArn}/${shardId}`)).toHaveLength(1);
  });

  it('records an invalid record as rejected with its reason and processes the records after it', async () => {
    const table = await dynamo.createTable();
    // A table name works as well as a stream ARN: it is resolved to the table's stream with DescribeTable.
    const logs = new LogCapture();
    const herald = await startPoller(table, { HERALD_ROLES: 'stream,relay,worker:email', STREAM_SOURCES: table.tableName }, logs);
    const items = [order(0), { ...order(1), email: undefined }, { ...order(2), email: 'not-an-email' }, order(3), { pk: 'x-1', kind: 'note' }];
    await dynamo.putItems(table.tableName, items.slice(0, 3));
    await dynamo.putItems(table.tableName, items.slice(3));
    await expectExactly(herald.db, 2);
    const rejected = await eventually(async () => {
      const { rows } = await herald.db.query<{ source: string; rule: string; reason: string; event_id: string; payload: { new: { pk: string } } }>(
        `SELECT source, rule, reason, event_id, payload FROM rejected_events ORDER BY payload->'new'->>'pk'`,
      );
      return rows.length === 2 ? rows : undefined;
    });
    expect(rejected.map((r) => [r.source, r.rule, r.reason, r.payload.new.pk])).toEqual([
      [table.streamArn, 'order-created', 'recipient.email: no value at new.email', 'o-0001'],
      [table.streamArn, 'order-created', 'recipient.email must be a valid email address', 'o-0002'],
    ]);
    expect(rejected.every((r) => r.event_id.length > 0)).toBe(true);
    // Each bad record is logged with its id, and created no notification (the two good ones only, above).
    for (const r of rejected) expect(logs.raw.some((line) => line.includes(`event ${r.event_id} from ${table.streamArn} rejected`))).toBe(true);
    expect(await count(herald.db, `SELECT 1 FROM notifications WHERE metadata->>'orderId' IN ('o-0001', 'o-0002')`)).toBe(0);
    // The records after the invalid ones were delivered.
    await eventually(() => (herald.smtp.accepted.length === 2 ? true : undefined), 60_000, 'two emails');
    expect(herald.smtp.accepted.map((m) => m.to[0]).sort()).toEqual(['buyer0@example.com', 'buyer3@example.com']);
    expect(herald.smtp.accepted.find((m) => m.to[0] === 'buyer3@example.com')!.subject).toBe('Order o-0003 received');
    const ready = await herald.http.get('/health/ready').expect(200);
    expect(ready.body.info.stream.counts).toEqual({ accepted: 2, duplicate: 0, skipped: 1, rejected: 2 });
  });

  it('renders a template named by a rule, and rejects a record lacking a template variable while processing the others', async () => {
    const table = await dynamo.createTable();
    const rules = `
rules:
  - name: order-ready
    match:
      table: ${table.tableName}
      eventName: INSERT
    notify:
      recipient:
        email: new.email
      channels: [email]
      category: orders
      template:
        key: order-ready
        data:
          orderId: new.pk
          name: new.customerName
        locale: "{{new.locale}}"
      metadata:
        orderId: new.pk
`;
    const herald = await startPoller(table, { HERALD_ROLES: 'api,stream,relay,worker:email', EVENT_RULES_FILE: writeRules(rules) });
    await herald.http
      .put('/v1/templates/order-ready')
      .set({ Authorization: `Bearer ${ADMIN_KEY}` })
      .send({
        description: 'Order ready',
        defaultLocale: 'en',
        variables: ['orderId', 'name'],
        locales: {
          en: { email: { subject: 'Order {{orderId}} is ready', text: 'Hello {{name}}, order {{orderId}} is ready for pick-up.' } },
          fr: { email: { subject: 'Commande {{orderId}} prête', text: 'Bonjour {{name}}, la commande {{orderId}} est prête.' } },
        },
      })
      .expect(200);

    // One write, so that the valid records and the one without a name arrive in the same read.
    await dynamo.putItems(table.tableName, [
      { ...order(0), customerName: 'Ada', locale: 'fr' },
      { ...order(1) },
      { ...order(2), customerName: 'Grace' },
    ]);
    const rejected = await eventually(async () => {
      const { rows } = await herald.db.query<{ rule: string; reason: string; pk: string }>(`SELECT rule, reason, payload->'new'->>'pk' AS pk FROM rejected_events`);
      return rows.length > 0 ? rows : undefined;
    }, 120_000, 'a rejected event');
    expect(rejected).toEqual([{ rule: 'order-ready', reason: 'Template "order-ready" needs variable(s) missing from template.data: name', pk: 'o-0001' }]);
    await dynamo.putItems(table.tableName, [{ ...order(3), customerName: 'Linus' }]);

    await eventually(() => (herald.smtp.accepted.length >= 3 ? true : undefined), 120_000, 'three emails');
    // (The rendered text, before the unsubscribe footer Herald adds to category mail.)
    const mails = Object.fromEntries(herald.smtp.accepted.map((m) => [m.to[0], { subject: m.subject, text: m.text.split('\n')[0] }]));
    expect(mails).toEqual({
      'buyer0@example.com': { subject: 'Commande o-0000 prête', text: 'Bonjour Ada, la commande o-0000 est prête.' },
      'buyer2@example.com': { subject: 'Order o-0002 is ready', text: 'Hello Grace, order o-0002 is ready for pick-up.' },
      'buyer3@example.com': { subject: 'Order o-0003 is ready', text: 'Hello Linus, order o-0003 is ready for pick-up.' },
    });
    expect(await count(herald.db, 'SELECT 1 FROM notifications')).toBe(3);
    const ready = await herald.http.get('/health/ready').expect(200);
    expect(ready.body.info.stream.counts).toEqual({ accepted: 3, duplicate: 0, skipped: 0, rejected: 1 });
  });

  it('two pollers reading the same stream at once create exactly 1,000 notifications', async () => {
    const table = await dynamo.createTable();
    const first = await startPoller(table);
    const second = await startPoller(table, { DATABASE_URL: first.env.DATABASE_URL, SQS_QUEUE_PREFIX: first.env.SQS_QUEUE_PREFIX });
    await dynamo.putItems(table.tableName, Array.from({ length: 1000 }, (_, i) => order(i)));
    await expectExactly(first.db, 1000);
    await expectOneNotificationPerOrder(first.db, 1000);
    const leases = await first.db.query<{ lease_owner: string }>(`SELECT lease_owner FROM stream_shards WHERE stream_arn = $1`, [table.streamArn]);
    expect(leases.rows.length).toBeGreaterThan(0);
    expect(leases.rows.every((r) => r.lease_owner !== null)).toBe(true);
    for (const poller of [first, second]) {
      const ready = await poller.http.get('/health/ready').expect(200);
      expect(ready.body.info.stream.polling).toBe(true);
    }
    expect(await count(first.db, `SELECT 1 FROM notification_requests WHERE source = $1`, [table.streamArn])).toBe(1000);
  });

  it('a poller killed in the middle of its work and started again still gives exactly 1,000, none missing', async () => {
    const table = await dynamo.createTable();
    // This Herald only provides the database; the pollers run in processes of their own.
    const base = await startHerald({ HERALD_ROLES: 'api' });
    running.push(base);
    const env = { ...base.env, ...pollerEnv(table, { STREAM_BATCH_SIZE: '25', LOG_LEVEL: 'error' }) };
    await dynamo.putItems(table.tableName, Array.from({ length: 600 }, (_, i) => order(i)));
    const doomed = await startHeraldProcess(env);
    try {
      await eventually(async () => ((await count(base.db, 'SELECT 1 FROM notifications')) >= 50 ? true : undefined), 120_000, 'the poller to start');
    } finally {
      await doomed.kill();
    }
    const atKill = await count(base.db, 'SELECT 1 FROM notifications');
    await dynamo.putItems(table.tableName, Array.from({ length: 400 }, (_, i) => order(600 + i)));
    // The dead process still holds the lease until it expires; the new one takes the shard over from the checkpoint.
    const restarted = await startHeraldProcess(env);
    try {
      await expectExactly(base.db, 1000);
    } finally {
      await restarted.kill();
    }
    await expectOneNotificationPerOrder(base.db, 1000);
    // Killed while records written before the kill were still unread.
    expect(atKill).toBeLessThan(600);
    const checkpoint = await base.db.query<{ checkpoint: string | null }>(`SELECT checkpoint FROM stream_shards WHERE stream_arn = $1`, [table.streamArn]);
    expect(checkpoint.rows[0].checkpoint).not.toBeNull();
  });

  it('logs at info, as JSON with stream, shardId and sequenceNumber, when it takes a shard, resumes it, hands it over and releases it at shutdown', async () => {
    const [orders, other] = [await dynamo.createTable(), await dynamo.createTable()];
    // Two streams, so two shards to share when a second poller joins.
    await dynamo.putItems(orders.tableName, Array.from({ length: 40 }, (_, i) => order(i)));
    await dynamo.putItems(other.tableName, [order(0)]);
    // This Herald only provides the database; the pollers run in processes of their own, whose output is captured.
    const base = await startHerald({ HERALD_ROLES: 'api' });
    running.push(base);
    const env = { ...base.env, ...pollerEnv(orders, { STREAM_SOURCES: `${orders.streamArn},${other.streamArn}`, LOG_LEVEL: 'info' }) };
    const [firstLogs, secondLogs] = [new LogCapture(), new LogCapture()];
    type ShardLine = { level: number; msg: string; stream: string; shardId: string; sequenceNumber: string | null };
    const shardLines = (logs: LogCapture, msg: string) => logs.lines.filter((l) => l.msg === msg) as unknown as ShardLine[];
    const checkpointOf = async (line: ShardLine) =>
      (await base.db.query<{ checkpoint: string }>(`SELECT checkpoint FROM stream_shards WHERE stream_arn = $1 AND shard_id = $2`, [line.stream, line.shardId])).rows[0].checkpoint;

    const first = await startHeraldProcess(env, 120_000, firstLogs);
    let second: HeraldProcess | null = null;
    try {
      await expectExactly(base.db, 40);
      await eventually(async () => ((await count(base.db, `SELECT 1 FROM stream_shards WHERE checkpoint IS NOT NULL`)) === 2 ? true : undefined), 60_000, 'both shards read');
      const taken = shardLines(firstLogs, 'shard lease taken');
      expect(taken.map((l) => l.stream).sort()).toEqual([orders.streamArn, other.streamArn].sort());
      for (const line of taken) expect(line).toMatchObject({ level: 30, shardId: expect.stringMatching(/^shardId-/), sequenceNumber: null });
      expect(shardLines(firstLogs, 'shard read from its start').map((l) => l.shardId).sort()).toEqual(taken.map((l) => l.shardId).sort());

      // A second poller joins: the first hands one shard over at its checkpoint, and the second resumes it there.
      second = await startHeraldProcess(env, 120_000, secondLogs);
      const handed = await eventually(() => shardLines(firstLogs, 'shard handed over')[0], 30_000, 'a shard handed over');
      expect(handed).toMatchObject({ level: 30, sequenceNumber: await checkpointOf(handed) });
      expect(handed.sequenceNumber).toEqual(expect.any(String));
      const resumed = await eventually(() => shardLines(secondLogs, 'shard resumed after its checkpoint')[0], 30_000, 'the second poller resuming it');
      expect(resumed).toMatchObject({ level: 30, stream: handed.stream, shardId: handed.shardId, sequenceNumber: handed.sequenceNumber });
      expect(shardLines(secondLogs, 'shard lease taken')).toEqual([expect.objectContaining({ stream: handed.stream, shardId: handed.shardId, sequenceNumber: handed.sequenceNumber })]);
    } finally {
      // SIGTERM to both at once: each shuts down and releases its leases. (Stopped one after the other, the one still
      // running could take the shard the other just released, and release it again at its own shutdown.)
      await Promise.all([second?.stop(), first.stop()]);
    }
    const handed = shardLines(firstLogs, 'shard handed over')[0];
    const kept = shardLines(firstLogs, 'shard lease taken').find((l) => l.shardId !== handed.shardId)!;
    expect(shardLines(firstLogs, 'shard lease released at shutdown')).toContainEqual(
      expect.objectContaining({ level: 30, stream: kept.stream, shardId: kept.shardId, sequenceNumber: await checkpointOf(kept) }),
    );
    expect(shardLines(secondLogs, 'shard lease released at shutdown')).toEqual([
      expect.objectContaining({ level: 30, stream: handed.stream, shardId: handed.shardId, sequenceNumber: handed.sequenceNumber }),
    ]);
    const { rows } = await base.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM stream_shards WHERE lease_owner IS NOT NULL`);
    expect(rows[0].n).toBe(0);
  });
});
