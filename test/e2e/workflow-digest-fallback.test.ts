import { randomBytes } from 'node:crypto';
import { JsonLogger } from '../../src/infrastructure/logging/json-logger';
import { ADMIN_KEY, eventually, sleep, startHerald, type Herald } from '../support/herald-harness';
import { LogCapture } from '../support/log-capture';

const auth = { Authorization: `Bearer ${ADMIN_KEY}` };
const tag = () => randomBytes(3).toString('hex');

/**
 * The engine joins every digest step of a round in one transaction, and closes every due window of a round in one
 * transaction; when such a transaction fails, each run is tried alone. Here PostgreSQL itself refuses the batches:
 * a trigger refuses a second digest event in one transaction, and another refuses a statement that closes more than
 * one window. Each run alone passes both, so every event must still be in exactly one digest.
 */
describe('workflow digests when a batch of joins or closes fails', () => {
  let herald: Herald;
  const logs = new LogCapture();

  beforeAll(async () => {
    herald = await startHerald({ WORKFLOW_POLL_INTERVAL: '100ms', LOG_LEVEL: 'info' }, { logger: new JsonLogger('info', logs) });
    await herald.db.query(`
      CREATE FUNCTION refuse_second_digest_event() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF EXISTS (SELECT 1 FROM workflow_digest_events WHERE xmin::text = (txid_current() % 4294967296)::text) THEN
          RAISE EXCEPTION 'a second digest event in one transaction (refused by the test)';
        END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER refuse_second_digest_event BEFORE INSERT ON workflow_digest_events FOR EACH ROW EXECUTE FUNCTION refuse_second_digest_event();
      CREATE FUNCTION refuse_closing_many() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF (SELECT count(*) FROM closed_now WHERE state = 'closing') > 1 THEN
          RAISE EXCEPTION 'more than one digest window closed in one statement (refused by the test)';
        END IF;
        RETURN NULL;
      END $$;
      CREATE TRIGGER refuse_closing_many AFTER UPDATE ON workflow_digest_windows REFERENCING NEW TABLE AS closed_now
        FOR EACH STATEMENT EXECUTE FUNCTION refuse_closing_many();
    `);
  });
  afterAll(async () => {
    await herald.stop();
  });

  it('every event is in exactly one digest, each recipient gets one email with the count, and every run completes', async () => {
    const key = `wf-fallback-${tag()}`;
    await herald.http
      .put(`/v1/workflows/${key}`)
      .set(auth)
      .send({
        steps: [
          { id: 'collect', type: 'digest', window: '2s' },
          { id: 'email', type: 'send', channel: 'email', content: { subject: '{{digest.count}} new comments', text: 'x' } },
        ],
      })
      .expect(200);
    const recipients = Array.from({ length: 6 }, (_, i) => ({ userId: `u-fb-${tag()}-${i}`, email: `fallback-${tag()}-${i}@example.com` }));
    // Three events for the six recipients, in quick succession: each event's runs reach the digest in one round.
    const runIds: string[] = [];
    for (let n = 0; n < 3; n++) {
      const res = await herald.http.post('/v1/events').set(auth).send({ workflow: key, recipients, payload: { n } }).expect(202);
      runIds.push(...(res.body.runs as Array<{ id: string }>).map((r) => r.id));
    }
    expect(runIds).toHaveLength(18);

    const runs = await eventually(
      async () => {
        const all = await Promise.all(runIds.map(async (id) => (await herald.http.get(`/v1/workflow-runs/${id}`).set(auth).expect(200)).body));
        return all.every((r) => r.status === 'completed') ? all : undefined;
      },
      30_000,
      'every run completed',
    );
    const owners = runs.filter((r) => r.steps[0].produced?.digestCount !== undefined);
    expect(owners).toHaveLength(6);
    expect(owners.map((r) => r.steps[0].produced.digestCount)).toEqual([3, 3, 3, 3, 3, 3]);

    // One email per recipient, with all three events.
    await eventually(() => (recipients.every((r) => herald.smtp.accepted.some((m) => m.to.includes(r.email))) ? true : undefined), 15_000, 'six digest emails');
    await sleep(500);
    for (const r of recipients) expect(herald.smtp.accepted.filter((m) => m.to.includes(r.email)).map((m) => m.subject)).toEqual(['3 new comments']);
    const { rows } = await herald.db.query(
      `SELECT w.id, count(e.*)::int AS events, w.state FROM workflow_digest_windows w LEFT JOIN workflow_digest_events e ON e.window_id = w.id WHERE w.workflow_key = $1 GROUP BY w.id`,
      [key],
    );
    expect(rows).toHaveLength(6);
    expect(rows.every((w: { events: number; state: string }) => w.events === 3 && w.state === 'closed')).toBe(true);

    // Both fallbacks ran: the batches were refused, and each run went alone.
    const warnings = logs.lines.map((l) => String(l.msg ?? l.message ?? ''));
    expect(warnings.some((m) => /digest joins of \d+ runs failed together \(.*a second digest event in one transaction/.test(m))).toBe(true);
    expect(warnings.some((m) => /digest closes of \d+ runs failed together \(.*more than one digest window closed/.test(m))).toBe(true);
  });
});
