import { randomBytes } from 'node:crypto';
import { GetQueueAttributesCommand, GetQueueUrlCommand, SendMessageCommand, SQSClient, type MessageAttributeValue } from '@aws-sdk/client-sqs';
import type { Client } from 'pg';
import { JsonLogger } from '../../src/infrastructure/logging/json-logger';
import { IngestEvents, type IncomingEvent } from '../../src/modules/event-sources/application/ingest-events.use-case';
import { startTestDynamoDb, writeRules, type TestDynamoDb } from '../support/dynamodb';
import { ADMIN_KEY, eventually, sleep, startHerald, type Herald } from '../support/herald-harness';
import { LogCapture } from '../support/log-capture';

jest.setTimeout(300_000);

const auth = { Authorization: `Bearer ${ADMIN_KEY}` };
const tag = () => randomBytes(3).toString('hex');

let dynamo: TestDynamoDb;
let sqs: SQSClient;
/** Owns the database: the API (to define workflows), the engine (scheduler) and the intake queue. */
let base: Herald;
let queueName: string;
const pollers: Herald[] = [];

beforeAll(async () => {
  dynamo = await startTestDynamoDb();
  const prefix = `t${randomBytes(4).toString('hex')}-`;
  queueName = `${prefix}intake`;
  base = await startHerald({
    HERALD_ROLES: 'api,scheduler,intake',
    SQS_QUEUE_PREFIX: prefix,
    INTAKE_QUEUE: queueName,
    SQS_MAX_RECEIVE_COUNT: '2',
    SQS_VISIBILITY_TIMEOUT_SECONDS: '2',
    WORKFLOW_POLL_INTERVAL: '100ms',
    // For the batches committed by hand below: records of the table "crash-comments" start the workflow
    // "crash-greet" for their author, those of "crash-posts" for the followers of their author (a topic).
    EVENT_RULES_FILE: writeRules(`
rules:
  - name: crash-greet
    match:
      table: crash-comments
    workflow:
      key: crash-greet
      recipient:
        userId: new.authorId
      payload: new
  - name: crash-followers
    match:
      table: crash-posts
    workflow:
      key: crash-greet
      topic: "followers-{{new.authorId}}"
      payload: { post: new.pk }
      runKey: "post-{{new.pk}}"
`),
  });
  sqs = new SQSClient({ region: process.env.AWS_REGION, endpoint: process.env.SQS_ENDPOINT });
}, 180_000);

afterAll(async () => {
  for (const poller of pollers.splice(0)) await poller.stop();
  sqs?.destroy();
  await base?.stop();
  await dynamo?.stop();
});

async function count(db: Client, sql: string, params: unknown[] = []): Promise<number> {
  const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM (${sql}) AS q`, params);
  return rows[0].n;
}

async function define(key: string, steps: unknown[]): Promise<void> {
  await base.http.put(`/v1/workflows/${key}`).set(auth).send({ steps }).expect(200);
}

function comment(i: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { pk: `c-${String(i).padStart(3, '0')}`, kind: 'comment', postId: 'p-7', postTitle: 'Hello', authorId: 'u-42', authorEmail: 'ada@example.com', text: `comment ${i}`, ...extra };
}

describe('workflow triggers from a DynamoDB stream', () => {
  it('starts one run per record into a digest (one notification), starts none when the records are read again, and rejects bad records without stopping the shard', async () => {
    const workflow = `comment-digest-${tag()}`;
    await define(workflow, [
      { id: 'collect', type: 'digest', window: '8s', key: '{{payload.postId}}' },
      { id: 'email', type: 'send', channel: 'email', content: { subject: '{{digest.count}} new comments on {{payload.postTitle}}', text: 'See them' } },
    ]);
    const table = await dynamo.createTable();
    const rules = writeRules(`
rules:
  - name: comment-digest
    match:
      table: ${table.tableName}
      eventName: INSERT
      when:
        - path: new.kind
          equals: comment
    workflow:
      key: ${workflow}
      recipient:
        userId: new.authorId
        email: new.authorEmail
      payload: new
      runKey: "post-{{new.postId}}"
  - name: mystery
    match:
      table: ${table.tableName}
      eventName: INSERT
      when:
        - path: new.kind
          equals: mystery
    workflow:
      key: no-such-workflow
      recipient:
        userId: new.authorId
      payload: new
`);
    const pollerEnv = {
      HERALD_ROLES: 'stream',
      DATABASE_URL: base.env.DATABASE_URL,
      SQS_QUEUE_PREFIX: base.env.SQS_QUEUE_PREFIX,
      DYNAMODB_ENDPOINT: dynamo.local.endpoint,
      STREAM_SOURCES: table.streamArn,
      EVENT_RULES_FILE: rules,
      STREAM_POLL_INTERVAL: '100ms',
      STREAM_LEASE: '3s',
      STREAM_RELIST_INTERVAL: '2s',
      STREAM_BATCH_SIZE: '100',
    };
    const logs = new LogCapture();
    const first = await startHerald(pollerEnv, { logger: new JsonLogger('info', logs) });
    pollers.push(first);

    // Ten comments, a record for a workflow that does not exist, one without its author; then ten more comments.
    await dynamo.putItems(table.tableName, [
      ...Array.from({ length: 10 }, (_, i) => comment(i)),
      { pk: 'm-1', kind: 'mystery', authorId: 'u-42' },
      comment(99, { authorId: undefined }),
    ]);
    await dynamo.putItems(table.tableName, Array.from({ length: 10 }, (_, i) => comment(10 + i)));

    const runs = () => base.db.query<{ id: string; trigger_id: string; run_key: string; status: string; key: string; pk: string }>(
      `SELECT r.id, r.trigger_id, r.run_key, r.status, t.idempotency_key AS key, r.payload->>'pk' AS pk
       FROM workflow_runs r JOIN workflow_triggers t ON t.id = r.trigger_id WHERE r.workflow_key = $1 ORDER BY pk`,
      [workflow],
    );
    await eventually(async () => ((await runs()).rows.length >= 20 ? true : undefined), 120_000, '20 runs');
    const started = (await runs()).rows;
    expect(started.map((r) => r.pk)).toEqual(Array.from({ length: 20 }, (_, i) => `c-${String(i).padStart(3, '0')}`));
    expect(new Set(started.map((r) => r.trigger_id)).size).toBe(20);
    expect(started.every((r) => r.run_key === 'post-p-7' && r.key.endsWith(':comment-digest'))).toBe(true);
    expect(await count(base.db, `SELECT 1 FROM workflow_triggers WHERE source = $1`, [table.streamArn])).toBe(20);

    // The two bad records: rejected with their record ids and reasons, logged with the id, nothing started for them.
    const rejected = await eventually(async () => {
      const { rows } = await base.db.query<{ event_id: string; rule: string; reason: string; pk: string }>(
        `SELECT event_id, rule, reason, payload->'new'->>'pk' AS pk FROM rejected_events WHERE source = $1 ORDER BY pk`,
        [table.streamArn],
      );
      return rows.length >= 2 ? rows : undefined;
    }, 60_000, 'two rejected records');
    expect(rejected.map(({ rule, reason, pk }) => ({ rule, reason, pk }))).toEqual([
      { rule: 'comment-digest', reason: 'recipient.userId: no value at new.authorId', pk: 'c-099' },
      { rule: 'mystery', reason: 'Workflow "no-such-workflow" does not exist', pk: 'm-1' },
    ]);
    for (const r of rejected) {
      expect(r.event_id.length).toBeGreaterThan(0);
      expect(logs.raw.some((line) => line.includes(`event ${r.event_id} from ${table.streamArn} rejected`))).toBe(true);
      expect(await count(base.db, `SELECT 1 FROM workflow_triggers WHERE idempotency_key LIKE $1`, [`${r.event_id}:%`])).toBe(0);
    }
    const rejectedList = await base.http.get('/v1/rejected-events').set(auth).expect(200);
    expect((rejectedList.body.items as Array<{ eventId: string }>).map((e) => e.eventId).sort()).toEqual(rejected.map((r) => r.event_id).sort());

    // Every event in one digest: one notification, counting all twenty; the other runs merged into it.
    const notifications = () =>
      base.db.query<{ subject: string; run: string }>(`SELECT content->>'subject' AS subject, metadata->>'workflowRun' AS run FROM notifications WHERE metadata->>'workflow' = $1`, [workflow]);
    await eventually(async () => ((await notifications()).rows.length >= 1 ? true : undefined), 60_000, 'the digest notification');
    await eventually(async () => ((await runs()).rows.every((r) => r.status === 'completed') ? true : undefined), 60_000, 'every run completed');
    const [digest] = (await notifications()).rows;
    expect((await notifications()).rows).toHaveLength(1);
    expect(digest.subject).toBe('20 new comments on Hello');
    const owner = (await base.http.get(`/v1/workflow-runs/${digest.run}`).set(auth).expect(200)).body as { steps: Array<{ produced: Record<string, unknown> | null }> };
    expect(owner.steps[0].produced).toMatchObject({ digestCount: 20 });
    const ready = await first.http.get('/health/ready').expect(200);
    expect(ready.body.info.stream.counts).toEqual({ accepted: 20, duplicate: 0, skipped: 0, rejected: 2 });

    // Read the whole shard again (as after a crash between the runs and the checkpoint): the checkpoint is reset
    // and another poller reads every record from the start.
    const checkpoint = (await base.db.query<{ checkpoint: string }>(`SELECT checkpoint FROM stream_shards WHERE stream_arn = $1`, [table.streamArn])).rows[0].checkpoint;
    expect(checkpoint).not.toBeNull();
    await first.stop();
    pollers.splice(pollers.indexOf(first), 1);
    await base.db.query(`UPDATE stream_shards SET checkpoint = NULL WHERE stream_arn = $1`, [table.streamArn]);
    const second = await startHerald(pollerEnv);
    pollers.push(second);
    const again = await eventually(async () => {
      const body = (await second.http.get('/health/ready').expect(200)).body as { info: { stream: { counts: Record<string, number> } } };
      const c = body.info.stream.counts;
      return c.duplicate + c.rejected + c.accepted >= 22 ? c : undefined;
    }, 120_000, 'the shard read again');
    expect(again).toEqual({ accepted: 0, duplicate: 20, skipped: 0, rejected: 2 });
    await sleep(1500);
    expect((await runs()).rows.map((r) => r.id).sort()).toEqual(started.map((r) => r.id).sort());
    expect(await count(base.db, `SELECT 1 FROM workflow_triggers WHERE source = $1`, [table.streamArn])).toBe(20);
    expect((await notifications()).rows).toHaveLength(1);
    expect(await count(base.db, `SELECT 1 FROM rejected_events WHERE source = $1`, [table.streamArn])).toBe(2);
  });
});

describe('a stream batch whose checkpoint does not commit after its runs started', () => {
  it('starts 1,000 runs and a topic\'s, refuses a missing topic; read again, starts none of them', async () => {
    // The runs wait: the engine has nothing to send while the batch is checked.
    await define('crash-greet', [
      { id: 'wait', type: 'delay', duration: '1h' },
      { id: 'hello', type: 'send', channel: 'inapp', content: { title: 'Hello', body: 'Hi' } },
    ]);
    await base.http.post('/v1/topics/followers-u-ada/subscribers').set(auth).send({ userIds: ['f-1', 'f-2', 'f-3'] }).expect(200);
    const ingest = base.app.get(IngestEvents, { strict: false });
    const streamArn = `arn:aws:dynamodb:us-east-1:000000000000:table/crash-comments/stream/${tag()}`;
    await base.db.query(`INSERT INTO stream_shards (stream_arn, shard_id, lease_owner, lease_expires_at) VALUES ($1, 'shard-1', 'poller-b', now() + interval '1 minute')`, [streamArn]);
    const record = (id: string, table: string, image: Record<string, unknown>): IncomingEvent => ({ kind: 'event', event: { id, table, eventName: 'INSERT', document: { new: image } }, payload: { new: image } });
    const events: IncomingEvent[] = [
      ...Array.from({ length: 1000 }, (_, i) => record(`crash-${i}`, 'crash-comments', comment(i, { authorId: `u-${i}` }))),
      record('post-1', 'crash-posts', { pk: 'p-1', authorId: 'u-ada' }),
      record('post-2', 'crash-posts', { pk: 'p-2', authorId: 'u-nobody' }),
    ];
    const batch = (owner: string) => ingest.prepare({ source: streamArn, events, checkpoint: { streamArn, shardId: 'shard-1', owner, sequenceNumber: '500', ended: false } });
    const runs = () =>
      base.db.query<{ id: string; key: string; user_id: string; run_key: string }>(
        `SELECT r.id, t.idempotency_key AS key, r.user_id, r.run_key FROM workflow_runs r JOIN workflow_triggers t ON t.id = r.trigger_id WHERE t.source = $1 ORDER BY r.id`,
        [streamArn],
      );
    const rejected = () => base.db.query<{ event_id: string; reason: string }>(`SELECT event_id, reason FROM rejected_events WHERE source = $1`, [streamArn]);

    // A poller whose lease was taken over: its runs are started, then its checkpoint (and with it the rejected
    // record) is refused, as after a crash between the two commits.
    await expect(ingest.commit(batch('poller-a'))).rejects.toThrow(/lease/i);
    const started = (await runs()).rows;
    expect(started).toHaveLength(1003);
    expect(started.filter((r) => r.key === 'post-1:crash-followers').map((r) => [r.user_id, r.run_key]).sort()).toEqual([
      ['f-1', 'post-p-1'],
      ['f-2', 'post-p-1'],
      ['f-3', 'post-p-1'],
    ]);
    expect(new Set(started.map((r) => r.key)).size).toBe(1001);
    expect((await rejected()).rows).toEqual([]);
    expect((await base.db.query(`SELECT checkpoint FROM stream_shards WHERE stream_arn = $1`, [streamArn])).rows[0].checkpoint).toBeNull();

    // The owner reads the same records: duplicates, the same runs, the missing topic rejected, the checkpoint moved.
    const again = await ingest.commit(batch('poller-b'));
    expect(again.counts).toEqual({ accepted: 0, duplicate: 1001, skipped: 0, rejected: 1 });
    expect((await runs()).rows).toEqual(started);
    expect((await rejected()).rows).toEqual([{ event_id: 'post-2', reason: 'Topic "followers-u-nobody" does not exist' }]);
    expect((await base.db.query(`SELECT checkpoint FROM stream_shards WHERE stream_arn = $1`, [streamArn])).rows[0].checkpoint).toBe('500');
  });
});

describe('workflow triggers from the intake queue', () => {
  const key = (value: string): Record<string, MessageAttributeValue> => ({ IdempotencyKey: { DataType: 'String', StringValue: value } });

  async function queueUrl(): Promise<string> {
    return eventually(async () => (await sqs.send(new GetQueueUrlCommand({ QueueName: queueName }))).QueueUrl, 30_000, 'the intake queue');
  }

  async function drained(url: string): Promise<void> {
    await eventually(async () => {
      const attributes = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }));
      return attributes.Attributes?.ApproximateNumberOfMessages === '0' && attributes.Attributes?.ApproximateNumberOfMessagesNotVisible === '0' ? true : undefined;
    }, 60_000, 'an empty intake queue');
  }

  it('a message with a workflow starts its run; the same message again starts none', async () => {
    const workflow = `greet-${tag()}`;
    await define(workflow, [{ id: 'hello', type: 'send', channel: 'email', content: { subject: 'Hello {{payload.name}}', text: 'Welcome' } }]);
    const url = await queueUrl();
    const body = JSON.stringify({ workflow, recipients: [{ userId: 'u-7', email: 'grace@example.com' }], payload: { name: 'Grace' }, runKey: 'welcome-u-7' });
    const byBody = JSON.stringify({ workflow, recipients: [{ userId: 'u-8', email: 'linus@example.com' }], payload: { name: 'Linus' }, idempotencyKey: 'signup-u-8' });
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: body, MessageAttributes: key('signup-u-7') }));
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: byBody }));

    const runs = () =>
      base.db.query<{ id: string; user_id: string; run_key: string; key: string; source: string }>(
        `SELECT r.id, r.user_id, r.run_key, t.idempotency_key AS key, t.source FROM workflow_runs r JOIN workflow_triggers t ON t.id = r.trigger_id
         WHERE r.workflow_key = $1 ORDER BY r.user_id`,
        [workflow],
      );
    await eventually(async () => ((await runs()).rows.length >= 2 ? true : undefined), 60_000, 'two runs');
    await drained(url);
    const first = (await runs()).rows;
    expect(first.map(({ user_id, run_key, key, source }) => ({ user_id, run_key, key, source }))).toEqual([
      { user_id: 'u-7', run_key: 'welcome-u-7', key: 'signup-u-7', source: `intake:${queueName}` },
      { user_id: 'u-8', run_key: 'signup-u-8', key: 'signup-u-8', source: `intake:${queueName}` },
    ]);
    await eventually(async () => ((await count(base.db, `SELECT 1 FROM notifications WHERE metadata->>'workflow' = $1`, [workflow])) >= 2 ? true : undefined), 30_000, 'two notifications');

    // Delivered again (a producer's retry, an SNS redelivery): same key, nothing new; the messages are deleted.
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: body, MessageAttributes: key('signup-u-7') }));
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: byBody }));
    await drained(url);
    await sleep(1500);
    expect((await runs()).rows.map((r) => r.id)).toEqual(first.map((r) => r.id));
    expect(await count(base.db, `SELECT 1 FROM notifications WHERE metadata->>'workflow' = $1`, [workflow])).toBe(2);
    expect(await count(base.db, `SELECT 1 FROM rejected_events WHERE event_id IN ('signup-u-7', 'signup-u-8')`)).toBe(0);
  });

  it('rejects a bad trigger message with its id and reason, and starts nothing', async () => {
    const workflow = `greet-${tag()}`;
    await define(workflow, [{ id: 'hello', type: 'send', channel: 'email', content: { subject: 'Hello', text: 'Welcome' } }]);
    const url = await queueUrl();
    const triggersBefore = await count(base.db, `SELECT 1 FROM workflow_triggers`);
    const bad = {
      'bad-payload': { workflow, recipients: [{ userId: 'u-1' }], payload: 'text' },
      'bad-unknown': { workflow: `nope-${tag()}`, recipients: [{ userId: 'u-1' }], payload: {} },
      'bad-neither': { workflow, payload: {} },
    };
    for (const [id, body] of Object.entries(bad)) await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: JSON.stringify(body), MessageAttributes: key(id) }));
    // A good one after them is not held up.
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: JSON.stringify({ workflow, recipients: [{ userId: 'u-2', email: 'u2@example.com' }], payload: {} }), MessageAttributes: key('good-1') }));

    const rejected = await eventually(async () => {
      const { rows } = await base.db.query<{ event_id: string; rule: string; reason: string }>(
        `SELECT event_id, rule, reason FROM rejected_events WHERE event_id LIKE 'bad-%' ORDER BY event_id`,
      );
      return rows.length >= 3 ? rows : undefined;
    }, 60_000, 'three rejected messages');
    expect(rejected).toEqual([
      { event_id: 'bad-neither', rule: '', reason: 'recipients is required (or topic), not both' },
      { event_id: 'bad-payload', rule: '', reason: 'payload must be an object' },
      { event_id: 'bad-unknown', rule: '', reason: `Workflow "${bad['bad-unknown'].workflow}" does not exist` },
    ]);
    await eventually(async () => ((await count(base.db, `SELECT 1 FROM workflow_runs WHERE workflow_key = $1`, [workflow])) >= 1 ? true : undefined), 30_000, 'the good run');
    await sleep(1500);
    expect(await count(base.db, `SELECT 1 FROM workflow_triggers`)).toBe(triggersBefore + 1);
    expect(await count(base.db, `SELECT 1 FROM workflow_triggers WHERE idempotency_key LIKE 'bad-%'`)).toBe(0);
  });
});
