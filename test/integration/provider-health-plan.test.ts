import type { Client } from 'pg';
import { PROVIDER_ATTEMPTS_STATEMENT } from '../../src/infrastructure/typeorm/provider-attempt-stats.typeorm-repository';
import { planNodes, startPlanDatabase } from '../support/query-plan';

describe('provider health: the attempt figures query plan', () => {
  let db: { client: Client; close: () => Promise<void> };
  let client: Client;

  beforeAll(async () => {
    db = await startPlanDatabase();
    client = db.client;
    // 50,000 notifications over a year, an attempt or two each: 75,000 attempts, one every ~7 minutes.
    await client.query(`INSERT INTO notification_requests (id, source, request_hash) VALUES ('00000000-0000-4000-8000-000000000000', 'api:k', 'h')`);
    await client.query(
      `INSERT INTO notifications (id, request_id, channel, recipient_key, recipient, status, provider, created_at)
       SELECT ('00000000-0000-4000-8000-' || lpad(i::text, 12, '0'))::uuid, '00000000-0000-4000-8000-000000000000',
              CASE WHEN i % 2 = 0 THEN 'email' ELSE 'sms' END, 'r' || i, '{}'::jsonb, 'sent',
              CASE WHEN i % 2 = 0 THEN 'smtp' ELSE 'twilio' END, timestamptz '2026-01-01T00:00:00Z' + make_interval(secs => i * 630)
       FROM generate_series(1, 50000) AS i`,
    );
    await client.query(
      `INSERT INTO notification_attempts (id, notification_id, attempt_number, provider, outcome, duration_ms, started_at, finished_at)
       SELECT gen_random_uuid(), n.id, k, n.provider,
              CASE WHEN k = 1 AND n.recipient_key ~ '[05]$' THEN 'transient_failure' WHEN n.recipient_key ~ '7$' THEN 'unknown' ELSE 'sent' END,
              (abs(hashtext(n.recipient_key || k)) % 1000), n.created_at + make_interval(secs => k * 60), n.created_at + make_interval(secs => k * 60 + 1)
       FROM notifications n, generate_series(1, 2) AS k
       WHERE k = 1 OR n.recipient_key ~ '[05]$'`,
    );
    await client.query(`ANALYZE notifications; ANALYZE notification_attempts`);
  });
  afterAll(() => db.close());

  it('reads a window of 15 minutes or of a day through notification_attempts_started and each notification by its key, no table whole', async () => {
    const { rows } = await client.query(`SELECT max(started_at) AS last FROM notification_attempts`);
    const last = (rows[0].last as Date).getTime();
    for (const windowMs of [15 * 60_000, 86_400_000]) {
      const nodes = await planNodes(client, PROVIDER_ATTEMPTS_STATEMENT, [new Date(last - windowMs).toISOString()]);
      expect(nodes.some((n) => n['Index Name'] === 'notification_attempts_started')).toBe(true);
      expect(nodes.some((n) => n['Index Name'] === 'notifications_pkey')).toBe(true);
      expect(nodes.filter((n) => n['Node Type'] === 'Seq Scan').map((n) => n['Relation Name'])).toEqual([]);
    }
  });

  it('counts exactly the finished attempts started in the window, per channel and provider', async () => {
    const from = '2026-12-20T00:00:00Z';
    const { rows } = await client.query(PROVIDER_ATTEMPTS_STATEMENT + ' ORDER BY 1', [from]);
    const { rows: expected } = await client.query(
      `SELECT n.channel, count(*)::int AS attempts, count(*) FILTER (WHERE a.outcome = 'sent')::int AS sent,
              percentile_disc(0.5) WITHIN GROUP (ORDER BY a.duration_ms) AS p50
       FROM notification_attempts a, notifications n WHERE n.id = a.notification_id AND a.started_at >= $1 GROUP BY 1 ORDER BY 1`,
      [from],
    );
    expect(expected.map((e) => e.attempts)).toEqual([expect.any(Number), expect.any(Number)]);
    expect(rows.map((r) => ({ channel: r.channel, attempts: r.attempts, sent: r.sent, p50: r.p50_ms }))).toEqual(expected);
    expect(rows.map((r) => r.provider)).toEqual(['smtp', 'twilio']);
    for (const r of rows) expect(r.attempts).toBe(r.sent + r.transient_failures + r.permanent_failures + r.unknown);
  });
});
