import type { Client } from 'pg';
import { templateListQuery } from '../../src/infrastructure/typeorm/template-store.typeorm-repository';
import { topicFanoutsQuery } from '../../src/infrastructure/typeorm/topic-fanout.typeorm-repository';
import { topicListQuery } from '../../src/infrastructure/typeorm/topic-store.typeorm-repository';
import { planNodes, startPlanDatabase, type PlanNode } from '../support/query-plan';

describe('template, topic and fan-out listing query plans', () => {
  let db: { client: Client; close: () => Promise<void> };
  let client: Client;

  beforeAll(async () => {
    db = await startPlanDatabase();
    client = db.client;
    // 5,000 templates of 1 to 3 versions; 5,000 topics with 20 subscribers each; 20,000 fan-outs, half of them to
    // one busy topic and the rest over 1,000 others.
    await client.query(`INSERT INTO templates (key, latest_version) SELECT 'tpl-' || lpad(i::text, 5, '0'), 1 + i % 3 FROM generate_series(0, 4999) AS i`);
    await client.query(
      `INSERT INTO template_versions (id, template_key, version, default_locale, variables, locales)
       SELECT gen_random_uuid(), t.key, v, 'en', '{}', '{"en":{"email":{"subject":"s","text":"t"}}}'
       FROM templates t CROSS JOIN LATERAL generate_series(1, t.latest_version) AS v`,
    );
    await client.query(`INSERT INTO topics (key) SELECT 'topic-' || lpad(i::text, 5, '0') FROM generate_series(0, 4999) AS i`);
    await client.query(`INSERT INTO topic_subscriptions (topic_key, user_id) SELECT t.key, 'u-' || u FROM topics t CROSS JOIN generate_series(1, 20) AS u`);
    await client.query(
      `INSERT INTO notification_requests (id, source, request_hash)
       SELECT ('00000000-0000-4000-8000-' || lpad(i::text, 12, '0'))::uuid, 'api:k', 'h' FROM generate_series(0, 19999) AS i`,
    );
    await client.query(
      `INSERT INTO topic_fanouts (id, request_id, topic_key, channels, contents, subscribed_before, total, done, created_at)
       SELECT gen_random_uuid(), ('00000000-0000-4000-8000-' || lpad(i::text, 12, '0'))::uuid, CASE WHEN i % 2 = 0 THEN 'topic-00000' ELSE 'topic-' || lpad((1 + i % 1000)::text, 5, '0') END,
              '{email}', '{}', now(), 20, true, timestamptz '2026-01-01T00:00:00Z' + make_interval(secs => i * 60)
       FROM generate_series(0, 19999) AS i`,
    );
    await client.query(`VACUUM ANALYZE templates, template_versions, topics, topic_subscriptions, topic_fanouts`);
  });
  afterAll(() => db.close());

  const indexes = (nodes: PlanNode[]) => nodes.map((n) => n['Index Name']).filter(Boolean);
  const seqScans = (nodes: PlanNode[]) => nodes.filter((n) => n['Node Type'] === 'Seq Scan').map((n) => n['Relation Name']);
  const sorts = (nodes: PlanNode[]) => nodes.filter((n) => /Sort/.test(n['Node Type']));

  it.each([
    { name: 'the first page', query: { prefix: null, after: null, limit: 50 } },
    { name: 'a page after a cursor', query: { prefix: null, after: 'tpl-02500', limit: 50 } },
    { name: 'a prefix', query: { prefix: 'tpl-012', after: null, limit: 50 } },
    { name: 'a prefix after a cursor', query: { prefix: 'tpl-01', after: 'tpl-01050', limit: 50 } },
  ])('templates, $name: a range of templates_key_bytes, never a scan of every template', async ({ query }) => {
    const { sql, params } = templateListQuery(query);
    const nodes = await planNodes(client, sql, params);
    const scan = nodes.find((n) => n['Index Name'] === 'templates_key_bytes');
    expect(scan).toBeDefined();
    expect(scan?.['Index Cond'] ?? null).toEqual(query.prefix === null && query.after === null ? null : expect.stringContaining('(key)::text'));
    // The planner joins the latest versions by their key (template_versions_number) or, when the page is a large
    // share of a small table, hashes them: either way the templates themselves are read in the index's order.
    expect(seqScans(nodes)).not.toContain('templates');
  });

  it.each([
    { name: 'the first page', after: null },
    { name: 'a page after a cursor', after: 'topic-02500' },
  ])('topics, $name: topics_key_bytes in its order, each count from the subscriptions primary key', async ({ after }) => {
    const { sql, params } = topicListQuery(after, 100);
    const nodes = await planNodes(client, sql, params);
    expect(indexes(nodes)).toEqual(expect.arrayContaining(['topics_key_bytes', 'topic_subscriptions_pkey']));
    expect({ seq: seqScans(nodes), sorts: sorts(nodes).length }).toEqual({ seq: [], sorts: 0 });
  });

  const cursor = { createdAt: '2026-01-08T00:00:00.000000Z', id: 'ffffffff-ffff-4fff-bfff-ffffffffffff' };

  it.each([
    { name: 'the first page', after: null },
    { name: 'a page after a cursor', after: cursor },
  ])("the busy topic's fan-outs, $name: a backward range of topic_fanouts_recent that stops after the page, no sort", async ({ after }) => {
    const { sql, params } = topicFanoutsQuery('topic-00000', after, 20);
    const nodes = await planNodes(client, sql, params);
    expect(indexes(nodes)).toEqual(['topic_fanouts_recent']);
    expect(nodes.find((n) => n['Index Name'] === 'topic_fanouts_recent')?.['Scan Direction']).toBe('Backward');
    expect({ seq: seqScans(nodes), sorts: sorts(nodes).length }).toEqual({ seq: [], sorts: 0 });
  });

  it.each([
    { name: 'the first page', after: null },
    { name: 'a page after a cursor', after: cursor },
  ])("a quiet topic's fan-outs, $name: only its own entries of topic_fanouts_recent", async ({ after }) => {
    const { sql, params } = topicFanoutsQuery('topic-00007', after, 20);
    const nodes = await planNodes(client, sql, params);
    expect(indexes(nodes)).toEqual(['topic_fanouts_recent']);
    expect(seqScans(nodes)).toEqual([]);
  });
});
