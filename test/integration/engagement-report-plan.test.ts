import type { Client } from 'pg';
import { engagementBucketStatement, engagementStatement } from '../../src/infrastructure/typeorm/engagement-report.typeorm-repository';
import { planNodes, startPlanDatabase, type PlanNode } from '../support/query-plan';

describe('engagement report query plan', () => {
  let db: { client: Client; close: () => Promise<void> };
  let client: Client;

  beforeAll(async () => {
    db = await startPlanDatabase();
    client = db.client;
    // A year of notifications, 50,000 of them, each with three history rows.
    await client.query(`INSERT INTO notification_requests (id, source, request_hash) VALUES ('00000000-0000-4000-8000-000000000000', 'api:k', 'h')`);
    await client.query(
      `INSERT INTO notifications (id, request_id, channel, recipient_key, recipient, category, template, status, provider, created_at)
       SELECT gen_random_uuid(), '00000000-0000-4000-8000-000000000000', 'email', 'r' || i, '{}'::jsonb, 'c' || (i % 5), 't' || (i % 3), 'sent', 'smtp',
              timestamptz '2026-01-01T00:00:00Z' + make_interval(secs => i * 630)
       FROM generate_series(1, 50000) AS i`,
    );
    await client.query(
      `INSERT INTO notification_status_history (notification_id, from_status, to_status, created_at)
       SELECT n.id, s.f, s.t, n.created_at FROM notifications n,
              (VALUES (NULL, 'queued'), ('queued', 'sending'), ('sending', 'sent')) AS s(f, t)`,
    );
    await client.query(`ANALYZE notifications; ANALYZE notification_status_history`);
  });
  afterAll(() => db.close());

  function plan(from: string, to: string): Promise<PlanNode[]> {
    return planNodes(client, engagementStatement(['channel', 'template']), [from, to]);
  }

  it('reads a day of notifications through notifications_created and their history through its notification index, not whole tables', async () => {
    const nodes = await plan('2026-03-01T00:00:00Z', '2026-03-02T00:00:00Z');
    expect(nodes.some((n) => n['Index Name'] === 'notifications_created')).toBe(true);
    expect(nodes.some((n) => n['Index Name'] === 'notification_status_history_notification')).toBe(true);
    expect(nodes.filter((n) => n['Node Type'] === 'Seq Scan').map((n) => n['Relation Name'])).toEqual([]);
  });

  it('counts exactly the notifications created in the window', async () => {
    const { rows } = await client.query(engagementStatement(['channel']), ['2026-03-01T00:00:00Z', '2026-03-02T00:00:00Z']);
    const { rows: expected } = await client.query(`SELECT count(*)::int AS n FROM notifications WHERE created_at >= '2026-03-01T00:00:00Z' AND created_at < '2026-03-02T00:00:00Z'`);
    expect(rows).toEqual([expect.objectContaining({ channel: 'email', accepted: expected[0].n, sent: expected[0].n, delivered: 0 })]);
  });

  it('reads a day by hour, and a day of one channel or category, through an index and their history by notification', async () => {
    const day = ['2026-03-01T00:00:00Z', '2026-03-02T00:00:00Z'];
    const cases: Array<{ sql: string; params: unknown[] }> = [
      { sql: engagementBucketStatement(), params: [...day, 'hour'] },
      { sql: engagementBucketStatement({ channel: 'email' }), params: [...day, 'email', 'hour'] },
      { sql: engagementStatement(['template'], { category: 'c1' }), params: [...day, 'c1'] },
      { sql: engagementBucketStatement({ channel: 'email', category: 'c1' }), params: [...day, 'email', 'c1', 'day'] },
    ];
    for (const { sql, params } of cases) {
      const nodes = await planNodes(client, sql, params);
      expect(nodes.some((n) => /^notifications_(created|feed_channel|feed_category)$/.test(n['Index Name'] ?? ''))).toBe(true);
      expect(nodes.some((n) => n['Index Name'] === 'notification_status_history_notification')).toBe(true);
      expect(nodes.filter((n) => n['Node Type'] === 'Seq Scan').map((n) => n['Relation Name'])).toEqual([]);
    }
  });

  it('counts each UTC hour exactly, and only the notifications the filters name', async () => {
    const day = ['2026-03-01T00:00:00Z', '2026-03-02T00:00:00Z'];
    const { rows } = await client.query(engagementBucketStatement(), [...day, 'hour']);
    const { rows: expected } = await client.query(
      `SELECT date_trunc('hour', created_at, 'UTC') AS bucket, count(*)::int AS n FROM notifications
       WHERE created_at >= $1 AND created_at < $2 GROUP BY 1 ORDER BY 1`,
      day,
    );
    expect(rows).toHaveLength(24);
    expect(rows.map((r) => [r.bucket, r.accepted])).toEqual(expected.map((e) => [e.bucket, e.n]));
    const filtered = await client.query(engagementBucketStatement({ category: 'c1' }), [...day, 'c1', 'day']);
    const { rows: c1 } = await client.query(`SELECT count(*)::int AS n FROM notifications WHERE created_at >= $1 AND created_at < $2 AND category = 'c1'`, day);
    expect(filtered.rows.map((r) => r.accepted)).toEqual([c1[0].n]);
    expect(c1[0].n).toBeLessThan(expected.reduce((sum, e) => sum + e.n, 0));
    const none = await client.query(engagementBucketStatement({ channel: 'sms' }), [...day, 'sms', 'day']);
    expect(none.rows).toEqual([]);
  });
});
