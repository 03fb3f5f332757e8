import { randomBytes } from 'node:crypto';
import { ADMIN_KEY, eventually, sleep, startHerald, type Herald } from '../support/herald-harness';

const auth = { Authorization: `Bearer ${ADMIN_KEY}` };
const tag = () => randomBytes(3).toString('hex');

interface RunView {
  id: string;
  workflow: string;
  version: number;
  status: string;
  currentStep: string | null;
  steps: Array<{ id: string; state: string; produced: Record<string, any> | null; startedAt: string | null; finishedAt: string | null }>;
}

async function run(herald: Herald, id: string): Promise<RunView> {
  return (await herald.http.get(`/v1/workflow-runs/${id}`).set(auth).expect(200)).body as RunView;
}

async function runUntil(herald: Herald, id: string, status: string, timeoutMs = 20_000): Promise<RunView> {
  return eventually(async () => {
    const r = await run(herald, id);
    return r.status === status ? r : undefined;
  }, timeoutMs, `run ${id} ${status}`);
}

async function define(herald: Herald, key: string, steps: unknown[], extra: Record<string, unknown> = {}) {
  return herald.http.put(`/v1/workflows/${key}`).set(auth).send({ steps, ...extra }).expect(200);
}

async function trigger(herald: Herald, body: Record<string, unknown>): Promise<string[]> {
  const res = await herald.http.post('/v1/events').set(auth).send(body).expect(202);
  return (res.body.runs as Array<{ id: string }>).map((r) => r.id);
}

const mailsTo = (herald: Herald, address: string) => herald.smtp.accepted.filter((m) => m.to.includes(address));

describe('workflows', () => {
  let herald: Herald;

  beforeAll(async () => {
    herald = await startHerald({ WORKFLOW_POLL_INTERVAL: '100ms', WORKFLOW_OUTCOME_CHECK_INTERVAL: '200ms', SCHEDULED_RELEASE_INTERVAL: '200ms' });
  });
  afterAll(async () => {
    await herald.stop();
  });

  it('stores a definition as versions: a change is the next version, the same definition again is a replay, YAML is read too', async () => {
    const key = `wf-${tag()}`;
    const steps = [{ id: 'hello', type: 'send', channel: 'email', content: { subject: 'Hi', text: 'Hello {{payload.name}}' } }];
    const first = await define(herald, key, steps, { name: 'Greeting' });
    expect(first.body).toMatchObject({ key, version: 1, name: 'Greeting', steps });
    const replay = await define(herald, key, steps, { name: 'Greeting' });
    expect(replay.body.version).toBe(1);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    const yaml = ['name: Greeting', 'steps:', '  - id: hello', '    type: send', '    channel: email', '    content:', '      subject: Hi again', '      text: Hello {{payload.name}}'].join('\n');
    const second = await herald.http.put(`/v1/workflows/${key}`).set(auth).set('Content-Type', 'application/yaml').send(yaml).expect(200);
    expect(second.body.version).toBe(2);
    expect(second.body.steps[0].content.subject).toBe('Hi again');
    expect((await herald.http.get(`/v1/workflows/${key}`).set(auth).expect(200)).body.version).toBe(2);
    expect((await herald.http.get(`/v1/workflows/${key}?version=1`).set(auth).expect(200)).body.steps[0].content.subject).toBe('Hi');
    await herald.http.get(`/v1/workflows/${key}?version=3`).set(auth).expect(404);
    const list = await herald.http.get('/v1/workflows?limit=100').set(auth).expect(200);
    expect(list.body.items.find((w: { key: string }) => w.key === key)).toMatchObject({ latestVersion: 2, name: 'Greeting', stepCount: 1 });
  });

  it('refuses bad definitions with 400 naming each field, and stores nothing', async () => {
    const key = `wf-bad-${tag()}`;
    const res = await herald.http
      .put(`/v1/workflows/${key}`)
      .set(auth)
      .send({
        steps: [
          { id: 'a', type: 'send', channel: 'email' },
          { id: 'a', type: 'delay', duration: 'soon' },
          { id: 'b', type: 'branch', if: { step: 'c', is: 'seen' }, then: 'nowhere' },
          { id: 'c', type: 'teleport' },
        ],
      })
      .expect(400);
    expect(res.body.error.code).toBe('validation_failed');
    const fields = (res.body.error.details as Array<{ field: string }>).map((d) => d.field);
    expect(fields).toEqual(expect.arrayContaining(['steps[0].content', 'steps[1].id', 'steps[1].duration', 'steps[2].if.step', 'steps[2].then', 'steps[3].type']));
    await herald.http.get(`/v1/workflows/${key}`).set(auth).expect(404);
    const yaml = await herald.http.put(`/v1/workflows/${key}`).set(auth).set('Content-Type', 'application/yaml').send('steps: [unclosed').expect(400);
    expect(yaml.body.error.details[0].field).toBe('body');
    await herald.http.get(`/v1/workflows/${key}`).set(auth).expect(404);
  });

  it('refuses bad triggers: unknown workflow 404, no recipients 400; nothing is started', async () => {
    const missing = await herald.http.post('/v1/events').set(auth).send({ workflow: `nope-${tag()}`, recipients: [{ userId: 'u-1' }], payload: {} }).expect(404);
    expect(missing.body.error.code).toBe('workflow_not_found');
    const key = `wf-${tag()}`;
    await define(herald, key, [{ id: 's', type: 'send', channel: 'email', content: { subject: 'x', text: 'y' } }]);
    const bad = await herald.http.post('/v1/events').set(auth).send({ workflow: key, payload: 'text' }).expect(400);
    expect((bad.body.error.details as Array<{ field: string }>).map((d) => d.field)).toContain('payload');
    const neither = await herald.http.post('/v1/events').set(auth).send({ workflow: key, payload: {} }).expect(400);
    expect(neither.body.error.details[0].field).toBe('recipients');
    const runs = await herald.http.get(`/v1/workflow-runs?workflow=${key}`).set(auth).expect(200);
    expect(runs.body.items).toHaveLength(0);
  });

  it('runs send, delay, send: two emails to the SMTP peer, the second after the delay, both showing the run', async () => {
    const key = `wf-${tag()}`;
    const email = `ada-${tag()}@example.com`;
    await define(herald, key, [
      { id: 'welcome', type: 'send', channel: 'email', content: { subject: 'Welcome {{payload.name}}', text: 'Hello {{payload.name}}' } },
      { id: 'wait', type: 'delay', duration: '2s' },
      { id: 'tips', type: 'send', channel: 'email', content: { subject: 'Tips for {{payload.name}}', text: 'Tips' } },
    ]);
    const [id] = await trigger(herald, { workflow: key, recipients: [{ userId: `u-${tag()}`, email }], payload: { name: 'Ada' } });
    await eventually(() => (mailsTo(herald, email).length >= 1 ? true : undefined), 15_000, 'first email');
    const waiting = await runUntil(herald, id, 'waiting');
    expect(waiting.currentStep).toBe('wait');
    expect(mailsTo(herald, email)).toHaveLength(1);
    const done = await runUntil(herald, id, 'completed');
    expect(done.steps.map((s) => s.state)).toEqual(['done', 'done', 'done']);
    await eventually(() => (mailsTo(herald, email).length === 2 ? true : undefined), 15_000, 'second email');
    const [first, second] = mailsTo(herald, email);
    expect(first.subject).toBe('Welcome Ada');
    expect(second.subject).toBe('Tips for Ada');
    expect(Date.parse(second.receivedAt) - Date.parse(first.receivedAt)).toBeGreaterThanOrEqual(1500);
    const notificationId = done.steps[2].produced!.notifications[0].id as string;
    const notification = await herald.http.get(`/v1/notifications/${notificationId}`).set(auth).expect(200);
    expect(notification.body.metadata).toMatchObject({ workflow: key, workflowRun: id, workflowStep: 'tips' });
    const feed = await herald.http.get(`/v1/notifications?metadata=workflowRun=${id}`).set(auth).expect(200);
    expect(feed.body.items).toHaveLength(2);
  });

  it('sends every send step of a pass in one intake call; a recipient the intake refuses goes on alone, the others get theirs once', async () => {
    const key = `wf-${tag()}`;
    await define(herald, key, [
      { id: 'hello', type: 'send', channel: 'email', content: { subject: 'Hello {{payload.n}}', text: 'x' } },
      { id: 'again', type: 'send', channel: 'email', content: { subject: 'Again {{payload.n}}', text: 'y' } },
    ]);
    const emails = Array.from({ length: 5 }, (_, n) => `batch-${n}-${tag()}@example.com`);
    // One event: every run is due at once and claimed by one pass. The recipient with only a phone has no address
    // for an email: the intake refuses its item.
    const ids = await trigger(herald, { workflow: key, recipients: [...emails.map((email) => ({ email })), { phone: '+14155550199' }], payload: { n: 1 } });
    const runs = await Promise.all(ids.map((id) => runUntil(herald, id, 'completed')));
    for (const r of runs.slice(0, 5)) {
      expect(r.steps.map((s) => s.state)).toEqual(['done', 'done']);
      expect(r.steps.map((s) => s.produced!.notifications)).toEqual([[expect.objectContaining({ channel: 'email' })], [expect.objectContaining({ channel: 'email' })]]);
    }
    const refused = runs[5];
    expect(refused.steps.map((s) => s.state)).toEqual(['done', 'done']);
    for (const s of refused.steps) expect(s.produced).toMatchObject({ notifications: [], refused: { code: 'validation_failed' } });

    const { rows } = await herald.db.query(
      `SELECT metadata->>'workflowRun' AS run, metadata->>'workflowStep' AS step, count(*)::int AS n, min(created_at) AS first, max(created_at) AS last
       FROM notifications WHERE metadata @> $1::jsonb GROUP BY 1, 2`,
      [JSON.stringify({ workflow: key })],
    );
    expect(rows).toHaveLength(10);
    expect(rows.some((r: { run: string }) => r.run === refused.id)).toBe(false);
    expect(rows.every((r: { n: number }) => r.n === 1)).toBe(true);
    // One transaction per step of the pass: every run's first notification has the same creation time, and so has every second one.
    for (const step of ['hello', 'again']) expect(new Set(rows.filter((r: { step: string }) => r.step === step).map((r: { first: Date }) => r.first.toISOString())).size).toBe(1);
    await eventually(() => (emails.every((e) => mailsTo(herald, e).length === 2) ? true : undefined), 15_000, 'two emails each');
    await sleep(500);
    for (const e of emails) expect(mailsTo(herald, e).map((m) => m.subject).sort()).toEqual(['Again 1', 'Hello 1']);
  });

  it('the same idempotency key twice starts one run and answers the first trigger', async () => {
    const key = `wf-${tag()}`;
    const email = `once-${tag()}@example.com`;
    await define(herald, key, [{ id: 's', type: 'send', channel: 'email', content: { subject: 'Once', text: 'once' } }]);
    const body = { workflow: key, recipients: [{ email }], payload: { n: 1 } };
    const idempotencyKey = `k-${tag()}`;
    const first = await herald.http.post('/v1/events').set(auth).set('Idempotency-Key', idempotencyKey).send(body).expect(202);
    const again = await herald.http.post('/v1/events').set(auth).set('Idempotency-Key', idempotencyKey).send(body).expect(202);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    const other = await herald.http.post('/v1/events').set(auth).set('Idempotency-Key', idempotencyKey).send({ ...body, payload: { n: 2 } }).expect(422);
    expect(other.body.error.code).toBe('idempotency_key_reused');
    await runUntil(herald, first.body.runs[0].id, 'completed');
    await sleep(500);
    expect(mailsTo(herald, email)).toHaveLength(1);
    expect((await herald.http.get(`/v1/workflow-runs?workflow=${key}`).set(auth).expect(200)).body.items).toHaveLength(1);
  });

  it('a run cancelled during its delay never sends the second step', async () => {
    const key = `wf-${tag()}`;
    const email = `cancel-${tag()}@example.com`;
    await define(herald, key, [
      { id: 'first', type: 'send', channel: 'email', content: { subject: 'First', text: '1' } },
      { id: 'wait', type: 'delay', duration: '2s' },
      { id: 'second', type: 'send', channel: 'email', content: { subject: 'Second', text: '2' } },
    ]);
    const runKey = `order-${tag()}`;
    const [id] = await trigger(herald, { workflow: key, recipients: [{ email }], payload: {}, runKey });
    await runUntil(herald, id, 'waiting');
    const cancelled = await herald.http.post('/v1/workflow-runs/cancel').set(auth).send({ workflow: key, runKey }).expect(200);
    expect(cancelled.body.cancelled).toEqual([id]);
    await sleep(3000);
    const after = await run(herald, id);
    expect(after.status).toBe('cancelled');
    expect(after.steps.map((s) => s.state)).toEqual(['done', 'skipped', 'skipped']);
    expect(mailsTo(herald, email).map((m) => m.subject)).toEqual(['First']);
    expect((await herald.http.post('/v1/workflow-runs/cancel').set(auth).send({ workflow: key, runKey }).expect(200)).body.cancelled).toEqual([]);
  });

  it('escalates in-app to email when the in-app notification is not seen in time, and not when it was seen', async () => {
    const key = `wf-${tag()}`;
    await define(herald, key, [
      { id: 'inapp', type: 'send', channel: 'inapp', content: { title: 'New comment', body: '{{payload.author}} commented' } },
      { id: 'unseen', type: 'branch', if: { step: 'inapp', is: 'seen', within: '3s' }, then: 'end' },
      { id: 'email', type: 'send', channel: 'email', content: { subject: 'You have a comment from {{payload.author}}', text: 'Open the app' } },
    ]);
    const ignored = { userId: `u-${tag()}`, email: `ignored-${tag()}@example.com` };
    const reader = { userId: `u-${tag()}`, email: `reader-${tag()}@example.com` };
    const [ignoredRun] = await trigger(herald, { workflow: key, recipients: [ignored], payload: { author: 'Ada' } });
    const [readerRun] = await trigger(herald, { workflow: key, recipients: [reader], payload: { author: 'Grace' } });
    // The reader reads the in-app item as soon as it is in the inbox (read marks it seen too).
    const item = await eventually(async () => {
      const inbox = await herald.http.get(`/v1/users/${reader.userId}/inbox`).set(auth).expect(200);
      return (inbox.body.items as Array<{ id: string }>)[0];
    }, 15_000, 'in-app item');
    await herald.http.post(`/v1/users/${reader.userId}/inbox/${item.id}/read`).set(auth).expect((res) => expect(res.status).toBeLessThan(300));
    const waiting = await runUntil(herald, ignoredRun, 'waiting');
    expect(waiting.currentStep).toBe('unseen');
    const read = await runUntil(herald, readerRun, 'completed', 10_000);
    expect(read.steps.map((s) => s.state)).toEqual(['done', 'done', 'skipped']);
    expect(read.steps[1].produced).toEqual({ branch: 'then', next: 'end' });
    const escalated = await runUntil(herald, ignoredRun, 'completed', 15_000);
    expect(escalated.steps[1].produced).toEqual({ branch: 'else', next: 'email' });
    expect(Date.parse(escalated.steps[1].finishedAt!) - Date.parse(escalated.steps[1].startedAt!)).toBeGreaterThanOrEqual(2900);
    await eventually(() => (mailsTo(herald, ignored.email).length === 1 ? true : undefined), 15_000, 'escalation email');
    expect(mailsTo(herald, ignored.email)[0].subject).toBe('You have a comment from Ada');
    await sleep(500);
    expect(mailsTo(herald, reader.email)).toHaveLength(0);
  });

  it('digests every event of a window into one notification with the count', async () => {
    const key = `wf-${tag()}`;
    await define(herald, key, [
      { id: 'collect', type: 'digest', window: '3s', key: '{{payload.postId}}' },
      { id: 'email', type: 'send', channel: 'email', content: { subject: '{{digest.count}} new comments', text: 'Comments: {{digest.events}}' } },
    ]);
    const email = `digest-${tag()}@example.com`;
    const recipient = { userId: `u-${tag()}`, email };
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(...(await trigger(herald, { workflow: key, recipients: [recipient], payload: { postId: 'p-1', n: i } })));
    // Another post is another digest.
    const [other] = await trigger(herald, { workflow: key, recipients: [recipient], payload: { postId: 'p-2', n: 9 } });
    // Runs claimed in one pass advance side by side: whichever reaches the digest first owns the window.
    const finished = await Promise.all(ids.map((id) => runUntil(herald, id, 'completed', 20_000)));
    const owners = finished.filter((r) => r.steps[0].produced?.digestCount !== undefined);
    expect(owners).toHaveLength(1);
    expect(owners[0].steps[0].produced).toMatchObject({ digestCount: 5 });
    for (const merged of finished.filter((r) => r !== owners[0])) {
      expect(merged.steps[0].produced).toMatchObject({ mergedInto: owners[0].id });
      expect(merged.steps[1].state).toBe('skipped');
    }
    await runUntil(herald, other, 'completed');
    await eventually(() => (mailsTo(herald, email).length === 2 ? true : undefined), 15_000, 'two digest emails');
    await sleep(500);
    const subjects = mailsTo(herald, email).map((m) => m.subject).sort();
    expect(subjects).toEqual(['1 new comments', '5 new comments']);
    expect(mailsTo(herald, email).find((m) => m.subject.startsWith('5'))!.text).toContain('"n":4');
  });

  it('with sendFirstImmediately, the first event goes at once and the rest of the window becomes one digest', async () => {
    const key = `wf-${tag()}`;
    await define(herald, key, [
      { id: 'collect', type: 'digest', window: '3s', sendFirstImmediately: true },
      { id: 'email', type: 'send', channel: 'email', content: { subject: '{{digest.count}} update(s)', text: 'x' } },
    ]);
    const email = `first-${tag()}@example.com`;
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push(...(await trigger(herald, { workflow: key, recipients: [{ email }], payload: { n: i } })));
    await runUntil(herald, ids[0], 'completed');
    await runUntil(herald, ids[1], 'completed', 20_000);
    await eventually(() => (mailsTo(herald, email).length === 2 ? true : undefined), 15_000, 'two emails');
    expect(mailsTo(herald, email).map((m) => m.subject)).toEqual(['1 update(s)', '3 update(s)']);
  });

  it('lets at most the limit of runs per recipient through a throttle; the others end throttled', async () => {
    const key = `wf-${tag()}`;
    await define(herald, key, [
      { id: 'daily', type: 'throttle', limit: 2, window: '1d' },
      { id: 'email', type: 'send', channel: 'email', content: { subject: 'Update', text: 'x' } },
    ]);
    const email = `throttle-${tag()}@example.com`;
    const ids = await Promise.all(Array.from({ length: 5 }, (_, n) => trigger(herald, { workflow: key, recipients: [{ email }], payload: { n } }))).then((r) => r.flat());
    const finished = await Promise.all(ids.map((id) => eventually(async () => {
      const r = await run(herald, id);
      return r.status === 'completed' || r.status === 'throttled' ? r : undefined;
    }, 20_000, 'finished')));
    expect(finished.filter((r) => r.status === 'completed')).toHaveLength(2);
    expect(finished.filter((r) => r.status === 'throttled')).toHaveLength(3);
    await eventually(() => (mailsTo(herald, email).length === 2 ? true : undefined), 15_000, 'two emails');
    await sleep(500);
    expect(mailsTo(herald, email)).toHaveLength(2);
    const throttled = await herald.http.get(`/v1/workflow-runs?workflow=${key}&status=throttled`).set(auth).expect(200);
    expect(throttled.body.items).toHaveLength(3);
  });
});

