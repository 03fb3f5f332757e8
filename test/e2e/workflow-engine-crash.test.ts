import { randomBytes } from 'node:crypto';
import { startHeraldProcess, type HeraldProcess } from '../support/herald-process';
import { ADMIN_KEY, eventually, sleep, startHerald, type Herald } from '../support/herald-harness';

const auth = { Authorization: `Bearer ${ADMIN_KEY}` };
const tag = () => randomBytes(3).toString('hex');

/**
 * The engine in a process of its own (the scheduler role), killed without a goodbye in the middle of runs: a new
 * one resumes every run from its last committed step, and no send step yields a second notification.
 */
describe('workflow engine killed mid-run', () => {
  let herald: Herald;
  let engine: HeraldProcess | null = null;
  // Passes of a few runs: a pass does every send step of its runs in one intake call, so with all 20 runs in one pass
  // the first kill would find them all sent and in their delay, which may be over before the next engine is up.
  const engineEnv = () => ({ ...herald.env, HERALD_ROLES: 'scheduler', PORT: '0', WORKFLOW_POLL_INTERVAL: '50ms', WORKFLOW_LEASE: '2s', WORKFLOW_BATCH_SIZE: '5' });

  beforeAll(async () => {
    herald = await startHerald({ HERALD_ROLES: 'api,relay,worker:email' });
  });
  afterAll(async () => {
    await engine?.kill();
    await herald.stop();
  });

  async function runStatus(id: string): Promise<{ status: string; currentStep: string | null; steps: Array<{ state: string; produced: { notifications?: Array<{ id: string }> } | null }> }> {
    return (await herald.http.get(`/v1/workflow-runs/${id}`).set(auth).expect(200)).body;
  }

  it('resumes after kills during a delay and right after a send, with one notification per send step', async () => {
    const key = `wf-crash-${tag()}`;
    await herald.http
      .put(`/v1/workflows/${key}`)
      .set(auth)
      .send({
        steps: [
          { id: 'first', type: 'send', channel: 'email', content: { subject: 'First {{payload.n}}', text: '1' } },
          { id: 'wait', type: 'delay', duration: '2s' },
          { id: 'second', type: 'send', channel: 'email', content: { subject: 'Second {{payload.n}}', text: '2' } },
        ],
      })
      .expect(200);
    const runIds: string[] = [];
    const emails: string[] = [];
    for (let n = 0; n < 20; n++) {
      const email = `crash-${n}-${tag()}@example.com`;
      emails.push(email);
      const res = await herald.http.post('/v1/events').set(auth).send({ workflow: key, recipients: [{ email }], payload: { n } }).expect(202);
      runIds.push(res.body.runs[0].id);
    }
    // Killed as soon as the first notifications exist: some send steps may have run without their transition written.
    engine = await startHeraldProcess(engineEnv());
    await eventually(async () => {
      const { rows } = await herald.db.query(`SELECT count(*)::int AS n FROM notifications WHERE metadata @> $1::jsonb`, [JSON.stringify({ workflow: key })]);
      return rows[0].n > 0 ? true : undefined;
    }, 30_000, 'first notifications');
    await engine.kill();
    engine = await startHeraldProcess(engineEnv());
    // Killed again while runs wait in their delay.
    await eventually(async () => ((await runStatus(runIds[runIds.length - 1])).currentStep === 'wait' ? true : undefined), 30_000, 'last run in its delay');
    await engine.kill();
    engine = null;
    // With no engine, no run moves on: a delay is a due time in Postgres, not a timer in a process. (Which runs are
    // still in their delay at the kill depends on the machine's speed; the last one is.)
    const waiting: string[] = [];
    for (const id of runIds) if ((await runStatus(id)).status === 'waiting') waiting.push(id);
    expect(waiting).toContain(runIds[runIds.length - 1]);
    await sleep(2500);
    for (const id of waiting) expect((await runStatus(id)).status).toBe('waiting');
    engine = await startHeraldProcess(engineEnv());
    for (const id of runIds) await eventually(async () => ((await runStatus(id)).status === 'completed' ? true : undefined), 30_000, `run ${id} completed`);

    const { rows } = await herald.db.query(
      `SELECT metadata->>'workflowRun' AS run, metadata->>'workflowStep' AS step, count(*)::int AS n FROM notifications WHERE metadata @> $1::jsonb GROUP BY 1, 2`,
      [JSON.stringify({ workflow: key })],
    );
    expect(rows).toHaveLength(runIds.length * 2);
    expect(rows.every((r: { n: number }) => r.n === 1)).toBe(true);
    for (const id of runIds) {
      const r = await runStatus(id);
      expect(r.steps.map((s) => s.state)).toEqual(['done', 'done', 'done']);
    }
    await eventually(() => (herald.smtp.accepted.filter((m) => emails.some((e) => m.to.includes(e))).length === runIds.length * 2 ? true : undefined), 30_000, 'every email');
    await sleep(1000);
    for (const email of emails) expect(herald.smtp.accepted.filter((m) => m.to.includes(email)).map((m) => m.subject.split(' ')[0]).sort()).toEqual(['First', 'Second']);
  }, 300_000);
});
