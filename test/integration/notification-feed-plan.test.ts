import type { Client } from 'pg';
import type { NotificationFeedFilter } from '../../src/domain/ports/notification-reader.port';
import { feedQuery } from '../../src/infrastructure/typeorm/notification-reader.typeorm-repository';
import { scheduledOfRunQuery } from '../../src/infrastructure/typeorm/workflow-runs.typeorm-repository';
import { planNodes, startPlanDatabase, type PlanNode } from '../support/query-plan';

const CHANNELS = ['email', 'sms', 'push'];

describe('activity feed query plans', () => {
  let db: { client: Client; close: () => Promise<void> };
  let client: Client;

  beforeAll(async () => {
    db = await startPlanDatabase();
    client = db.client;
    // 2,000 requests (every other one with an idempotency key, each one a fan-out to one of 1,000 topics) of
    // 20 notifications each: 40,000 notifications over a year, a quarter of them without metadata.
    await client.query(`INSERT INTO topics (key) SELECT 'topic-' || i FROM generate_series(0, 999) AS i`);
    await client.query(
      `INSERT INTO notification_requests (id, source, idempotency_key, request_hash)
       SELECT ('00000000-0000-4000-8000-' || lpad(i::text, 12, '0'))::uuid, 'api:k', CASE WHEN i % 2 = 0 THEN 'key-' || i END, 'h'
       FROM generate_series(0, 1999) AS i`,
    );
    await client.query(
      `INSERT INTO topic_fanouts (id, request_id, topic_key, channels, contents, subscribed_before, total)
       SELECT gen_random_uuid(), ('00000000-0000-4000-8000-' || lpad(i::text, 12, '0'))::uuid, 'topic-' || (i % 1000), '{email}', '{}', now(), 20
       FROM generate_series(0, 1999) AS i`,
    );
    await client.query(
      `INSERT INTO notifications (id, request_id, channel, recipient_key, recipient, category, template, metadata, status, provider, created_at)
       SELECT gen_random_uuid(), ('00000000-0000-4000-8000-' || lpad((i / 20)::text, 12, '0'))::uuid,
              CASE WHEN i % 100 = 0 THEN 'chat' ELSE (ARRAY[${CHANNELS.map((c) => `'${c}'`).join(',')}])[i % 3 + 1] END,
              'r' || i,
              CASE WHEN i % 2 = 0 THEN jsonb_build_object('userId', 'u-' || (i % 2000), 'email', 'e' || (i % 2000) || '@example.com')
                   ELSE jsonb_build_object('userId', 'u-' || (i % 2000), 'phone', '+1415555' || lpad((i % 2000)::text, 4, '0')) END,
              'c' || (i % 200), 't' || (i % 300),
              CASE WHEN i % 4 = 3 THEN '{}'::jsonb ELSE jsonb_build_object('orderId', (i % 1000)::text, 'tenant', 'tenant-' || (i % 20)) END,
              CASE WHEN i % 500 = 0 THEN 'unknown' ELSE 'delivered' END, 'p' || (i % 100),
              timestamptz '2026-01-01T00:00:00Z' + make_interval(secs => i * 780)
       FROM generate_series(0, 39999) AS i`,
    );
    // Statistics from every row, not a random sample of them (300 rows per unit of the target): the same plans on
    // every run.
    await client.query(`SET default_statistics_target = 1000; ANALYZE notifications; ANALYZE notification_requests; ANALYZE topic_fanouts; RESET default_statistics_target`);
  });
  afterAll(() => db.close());

  function plan(filter: NotificationFeedFilter, after: { createdAt: string; id: string } | null = null): Promise<PlanNode[]> {
    const { sql, params } = feedQuery(filter, 51, after);
    return planNodes(client, sql, params);
  }

  const cases: Array<{ name: string; filter: NotificationFeedFilter; index: string }> = [
    { name: 'userId', filter: { userId: 'u-42' }, index: 'notifications_feed_user' },
    { name: 'email', filter: { email: 'e42@example.com' }, index: 'notifications_feed_email' },
    { name: 'phone', filter: { phone: '+14155550043' }, index: 'notifications_feed_phone' },
    { name: 'status', filter: { status: 'unknown' }, index: 'notifications_feed_status' },
    { name: 'status and channel', filter: { status: 'unknown', channel: 'email' }, index: 'notifications_feed_status' },
    { name: 'channel', filter: { channel: 'chat' }, index: 'notifications_feed_channel' },
    { name: 'category', filter: { category: 'c7' }, index: 'notifications_feed_category' },
    { name: 'template', filter: { template: 't7' }, index: 'notifications_feed_template' },
    { name: 'provider', filter: { provider: 'p7' }, index: 'notifications_feed_provider' },
    { name: 'metadata', filter: { metadata: { orderId: '42' } }, index: 'notifications_feed_metadata' },
    { name: 'topic', filter: { topic: 'topic-7' }, index: 'notifications_feed_request' },
    { name: 'fanoutId', filter: { fanoutId: '00000000-0000-4000-8000-000000000000' }, index: 'notifications_feed_request' },
    { name: 'idempotencyKey', filter: { idempotencyKey: 'key-42' }, index: 'notifications_feed_request' },
    { name: 'a creation window', filter: { createdFrom: new Date('2026-03-01T00:00:00Z'), createdTo: new Date('2026-03-02T00:00:00Z') }, index: 'notifications_created' },
    { name: 'nothing', filter: {}, index: 'notifications_created' },
  ];

  it.each(cases)('a page filtered by $name reads $index and scans no table', async ({ filter, index }) => {
    for (const after of [null, { createdAt: '2026-06-01T00:00:00.000000Z', id: 'ffffffff-ffff-4fff-bfff-ffffffffffff' }]) {
      const nodes = await plan(filter, after);
      expect(nodes.map((n) => n['Index Name']).filter(Boolean)).toContain(index);
      expect(nodes.filter((n) => n['Node Type'] === 'Seq Scan').map((n) => n['Relation Name'])).toEqual([]);
    }
  });

  it('keeps notifications without metadata out of the metadata index, which a containment query alone cannot use', async () => {
    const { sql, params } = feedQuery({ metadata: { orderId: '42' } }, 51, null);
    const withoutPredicate = sql.replace(` AND n.metadata <> '{}'::jsonb`, '');
    expect(withoutPredicate).not.toBe(sql);
    const nodes = await planNodes(client, withoutPredicate, params);
    expect(nodes.map((n) => n['Index Name']).filter(Boolean)).not.toContain('notifications_feed_metadata');
  });

  it('leaves the attempt-start update heap-only: none of the new indexes covers a column it writes', async () => {
    await client.query('BEGIN');
    try {
      await client.query(
        `UPDATE notifications SET provider_call_started_at = now(), attempt_count = attempt_count + 1
         WHERE status = 'unknown'`,
      );
      const { rows } = await client.query(`SELECT n_tup_upd::int AS updated, n_tup_hot_upd::int AS hot FROM pg_stat_xact_user_tables WHERE relname = 'notifications'`);
      expect(rows[0].updated).toBe(80);
      // One row in 500, so one per page: each new version fits in the room the fill factor leaves on its page.
      expect(rows[0].hot).toBe(80);
    } finally {
      await client.query('ROLLBACK');
    }
  });

  it("finds a workflow run's scheduled notifications through notifications_feed_metadata, scanning no table", async () => {
    await client.query('BEGIN');
    try {
      // A run's steps scheduled far ahead: more than the status index alone would pick out cheaply.
      await client.query(
        `UPDATE notifications SET status = 'scheduled', metadata = jsonb_build_object('workflowRun', 'run-' || (extract(epoch FROM created_at)::bigint / 780 % 400))
         WHERE created_at >= timestamptz '2026-09-01T00:00:00Z'`,
      );
      await client.query('SET LOCAL default_statistics_target = 1000; ANALYZE notifications');
      const nodes = await planNodes(client, scheduledOfRunQuery, [JSON.stringify({ workflowRun: 'run-7' })]);
      expect(nodes.map((n) => n['Index Name']).filter(Boolean)).toContain('notifications_feed_metadata');
      expect(nodes.filter((n) => n['Node Type'] === 'Seq Scan').map((n) => n['Relation Name'])).toEqual([]);
    } finally {
      await client.query('ROLLBACK');
    }
  });
});
