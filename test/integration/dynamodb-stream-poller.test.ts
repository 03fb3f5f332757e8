import { FakeDynamoDbStreams, type FakeRecord } from '../support/fake-dynamodb-streams';
import { orderRules, writeRules } from '../support/dynamodb';
import { eventually, startHerald, type Herald } from '../support/herald-harness';
import { parsePrometheusText, sampleValue } from '../support/prometheus-text';

jest.setTimeout(180_000);

const ARN = 'arn:aws:dynamodb:us-east-1:123456789012:table/fake-orders/stream/2026-11-21T00:00:00.000';
const running: Array<{ stop: () => Promise<void> }> = [];

afterEach(async () => {
  for (const r of running.splice(0).reverse()) await r.stop();
});

function records(from: number, count: number): FakeRecord[] {
  return Array.from({ length: count }, (_, i) => {
    const seq = from + i;
    return {
      sequenceNumber: String(seq).padStart(21, '0'),
      eventName: 'INSERT',
      newImage: { pk: { S: `o-${seq}` }, kind: { S: 'order' }, email: { S: `buyer${seq}@example.com` }, customerId: { S: `c-${seq}` }, total: { N: String(seq) }, status: { S: 'placed' } },
    };
  });
}

async function startPoller(fake: FakeDynamoDbStreams, overrides: Record<string, string> = {}): Promise<Herald> {
  const herald = await startHerald({
    HERALD_ROLES: 'stream',
    DYNAMODB_ENDPOINT: fake.endpoint,
    STREAM_SOURCES: ARN,
    EVENT_RULES_FILE: writeRules(orderRules('fake-orders')),
    STREAM_POLL_INTERVAL: '100ms',
    STREAM_LEASE: '3s',
    STREAM_RELIST_INTERVAL: '1s',
    STREAM_BATCH_SIZE: '4',
    ...overrides,
  });
  running.push(herald);
  return herald;
}

async function orderIds(herald: Herald): Promise<string[]> {
  const { rows } = await herald.db.query<{ order_id: string }>(`SELECT metadata->>'orderId' AS order_id FROM notifications ORDER BY 1`);
  return rows.map((r) => r.order_id);
}

describe('DynamoDB Streams poller against a DynamoDB Streams peer', () => {
  it('lists shards page by page, reads a parent to its end before its children, and rides out throttling and an expired iterator', async () => {
    const fake = new FakeDynamoDbStreams(ARN, [
      { shardId: 'child-a', parentShardId: 'parent', records: records(201, 5), closed: false },
      { shardId: 'child-b', parentShardId: 'parent', records: records(301, 3), closed: true },
      { shardId: 'parent', parentShardId: 'trimmed-grandparent', records: records(101, 10), closed: true },
    ]);
    fake.throttleNext = 4;
    fake.expireSecondRead.add('parent');
    await fake.start();
    running.push(fake);
    const herald = await startPoller(fake);

    const expected = [...records(101, 10), ...records(201, 5), ...records(301, 3)].map((r) => `o-${Number(r.sequenceNumber)}`).sort();
    await eventually(async () => ((await orderIds(herald)).length >= 18 ? true : undefined), 120_000, '18 notifications');
    await new Promise((r) => setTimeout(r, 1000));
    expect(await orderIds(herald)).toEqual(expected);

    // Three DescribeStream pages per listing.
    expect(fake.calls.filter((c) => c.target === 'DescribeStream').length).toBeGreaterThanOrEqual(3);
    // Throttled calls were retried, and the expired iterator was replaced from the checkpoint.
    expect(fake.calls.filter((c) => c.error === 'ProvisionedThroughputExceededException')).toHaveLength(4);
    expect(fake.calls.filter((c) => c.error === 'ExpiredIteratorException')).toHaveLength(1);
    expect(fake.calls.some((c) => c.target === 'GetShardIterator' && c.shardId === 'parent' && c.type === 'AFTER_SEQUENCE_NUMBER')).toBe(true);
    // No child iterator before the parent's last page.
    const parentEnd = fake.calls.findIndex((c) => c.target === 'GetRecords' && c.shardId === 'parent' && c.ended);
    const firstChild = fake.calls.findIndex((c) => c.target === 'GetShardIterator' && c.shardId !== 'parent');
    expect(parentEnd).toBeGreaterThanOrEqual(0);
    expect(firstChild).toBeGreaterThan(parentEnd);
    // Children of a parent read here start at their beginning.
    expect(fake.calls.filter((c) => c.target === 'GetShardIterator' && c.shardId !== 'parent').every((c) => c.type === 'TRIM_HORIZON')).toBe(true);

    const shards = await herald.db.query<{ shard_id: string; checkpoint: string; ended: boolean }>(
      `SELECT shard_id, checkpoint, ended FROM stream_shards WHERE stream_arn = $1 ORDER BY shard_id`,
      [ARN],
    );
    expect(shards.rows).toEqual([
      { shard_id: 'child-a', checkpoint: '000000000000000000205', ended: false },
      { shard_id: 'child-b', checkpoint: '000000000000000000303', ended: true },
      { shard_id: 'parent', checkpoint: '000000000000000000110', ended: true },
    ]);
  });

  it('raises an alarm on trimmed data, degrades readiness, and goes on from the oldest record kept', async () => {
    const fake = new FakeDynamoDbStreams(ARN, [{ shardId: 'only', records: records(501, 5), closed: false, trimmedThrough: '000000000000000000502' }]);
    await fake.start();
    running.push(fake);
    // A checkpoint from long ago: the records after it are older than the stream keeps.
    const base = await startHerald({ HERALD_ROLES: 'api' });
    running.push(base);
    await base.db.query(`INSERT INTO stream_shards (stream_arn, shard_id, checkpoint) VALUES ($1, 'only', '000000000000000000400')`, [ARN]);
    const herald = await startPoller(fake, { DATABASE_URL: base.env.DATABASE_URL });

    // (The poller's own client points at an empty database of its own: query the shared one.)
    await eventually(async () => ((await orderIds(base)).length >= 3 ? true : undefined), 60_000, '3 notifications');
    expect(await orderIds(base)).toEqual(['o-503', 'o-504', 'o-505']);
    expect(fake.calls.filter((c) => c.error === 'TrimmedDataAccessException')).toHaveLength(1);
    const ready = await herald.http.get('/health/ready').expect(200);
    expect(ready.body.info.stream).toMatchObject({ status: 'up', degraded: true, polling: true });
    expect(ready.body.info.stream.alarms).toEqual([
      expect.objectContaining({ streamArn: ARN, shardId: 'only', message: expect.stringContaining('records after 000000000000000000400 were trimmed') }),
    ]);
    // The same facts on the poller's /metrics.
    const samples = parsePrometheusText((await herald.http.get('/metrics').expect(200)).text);
    expect(sampleValue(samples, 'herald_stream_alarms_total', { stream_arn: ARN })).toBe(1);
    expect(samples.filter((s) => s.name === 'herald_stream_lag_seconds' && s.labels.stream === `${ARN}/only`)).toHaveLength(1);
    expect(sampleValue(samples, 'herald_stream_records_total', { outcome: 'accepted' })).toBe(3);
  });
});
