import { randomBytes } from 'node:crypto';
import { ADMIN_KEY, eventually, sleep, startHerald, type Herald } from '../support/herald-harness';

const auth = { Authorization: `Bearer ${ADMIN_KEY}` };
const EVENTS = 240;

/**
 * Digest windows under load: events arrive without pause while windows close, and two engines (two processes'
 * worth of schedulers on one database) claim the runs. Every event must be in exactly one digest: none twice,
 * none dropped, one email per window.
 */
describe('digest windows with concurrent events and two engines', () => {
  let a: Herald;
  let b: Herald;

  beforeAll(async () => {
    a = await startHerald({ WORKFLOW_POLL_INTERVAL: '50ms', DATABASE_POOL_SIZE: '10' });
    b = await startHerald({ HERALD_ROLES: 'scheduler', WORKFLOW_POLL_INTERVAL: '50ms', DATABASE_POOL_SIZE: '10' }, { database: a.database });
  });
  afterAll(async () => {
    await b.stop({ keepDatabase: true });
    await a.stop();
  });

  it('puts every event in exactly one digest', async () => {
    const key = `wf-hammer-${randomBytes(3).toString('hex')}`;
    await a.http
      .put(`/v1/workflows/${key}`)
      .set(auth)
      .send({
        steps: [
          { id: 'collect', type: 'digest', window: '700ms' },
          { id: 'email', type: 'send', channel: 'email', content: { subject: 'digest of {{digest.count}}', text: '{{digest.events}}' } },
        ],
      })
      .expect(200);
    const email = `hammer-${randomBytes(3).toString('hex')}@example.com`;
    let next = 0;
    const runIds: string[] = [];
    // Eight senders side by side for at least three seconds (each pauses 100 ms between events, so that a busy
    // machine does not post them all within one window): joins race with the closes of several windows.
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < EVENTS) {
          const n = next++;
          const res = await a.http.post('/v1/events').set(auth).send({ workflow: key, recipients: [{ userId: 'u-hammer', email }], payload: { n } }).expect(202);
          runIds.push(res.body.runs[0].id);
          await sleep(100);
        }
      }),
    );
    await eventually(async () => {
      const { rows } = await a.db.query(`SELECT count(*)::int AS n FROM workflow_runs WHERE workflow_key = $1 AND status <> 'completed'`, [key]);
      return rows[0].n === 0 ? true : undefined;
    }, 60_000, 'every run finished');

    const { rows: windows } = await a.db.query(`SELECT id, state, owner_run_id FROM workflow_digest_windows WHERE workflow_key = $1`, [key]);
    expect(windows.length).toBeGreaterThan(1);
    expect(windows.every((w: { state: string }) => w.state === 'closed')).toBe(true);
    const { rows: events } = await a.db.query(
      `SELECT e.run_id, e.payload->>'n' AS n FROM workflow_digest_events e JOIN workflow_digest_windows w ON w.id = e.window_id WHERE w.workflow_key = $1`,
      [key],
    );
    expect(events).toHaveLength(EVENTS);
    expect(new Set(events.map((e: { n: string }) => e.n)).size).toBe(EVENTS);
    expect(new Set(events.map((e: { run_id: string }) => e.run_id))).toEqual(new Set(runIds));

    // One notification per window, from its owner run, holding as many events as the window.
    const { rows: sent } = await a.db.query(`SELECT metadata->>'workflowRun' AS run FROM notifications WHERE metadata @> $1::jsonb`, [JSON.stringify({ workflow: key })]);
    expect(sent.map((s: { run: string }) => s.run).sort()).toEqual(windows.map((w: { owner_run_id: string }) => w.owner_run_id).sort());
    await eventually(() => (a.smtp.accepted.filter((m) => m.to.includes(email)).length === windows.length ? true : undefined), 30_000, 'one email per window');
    const counts = a.smtp.accepted.filter((m) => m.to.includes(email)).map((m) => Number(/digest of (\d+)/.exec(m.subject)![1]));
    expect(counts.reduce((x, y) => x + y, 0)).toBe(EVENTS);
    const seen = a.smtp.accepted.filter((m) => m.to.includes(email)).flatMap((m) => [...m.text.matchAll(/"n":(\d+)/g)].map((x) => Number(x[1])));
    expect(seen.sort((x, y) => x - y)).toEqual(Array.from({ length: EVENTS }, (_, i) => i));
  });
});
