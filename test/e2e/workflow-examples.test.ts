import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { parseWorkflowDuration } from '../../src/domain/workflows/duration';
import { RecipientDirectory } from '../../src/domain/ports/recipient-directory.port';
import { ADMIN_KEY, eventually, sleep, startHerald, type Herald } from '../support/herald-harness';
import { fcmTokenOf, startFcmPeer } from '../support/peers/fcm-peer';
import type { HttpPeer } from '../support/peers/http-peer';
import { startTwilioPeer, twilioOnly, type TwilioPeer } from '../support/peers/twilio-peer';

/*
 * The worked examples of docs/workflows.md, as the docs have them: each YAML block is read out of the file, its
 * durations divided by SCALE (at least a second), its key made unique, PUT as YAML and run.
 */

const auth = { Authorization: `Bearer ${ADMIN_KEY}` };
const SCALE = 600;
const tag = randomBytes(3).toString('hex');

/** The YAML blocks of the "Worked examples" section, by the key each defines. */
function docExamples(): Map<string, string> {
  const text = readFileSync(join(__dirname, '../../docs/workflows.md'), 'utf8');
  const section = text.slice(text.indexOf('## Worked examples'));
  const blocks = [...section.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]);
  return new Map(blocks.map((b) => [(parseYaml(b) as { key: string }).key, b]));
}

/** The block with a unique key and every duration scaled down. */
function scaled(yaml: string, key: string): string {
  return yaml
    .replace(/^key: .*$/m, `key: ${key}`)
    .replace(/\b(window|within|duration): (\w+)/g, (_, field: string, d: string) => `${field}: ${Math.max(1, Math.round(parseWorkflowDuration(d)! / SCALE / 1000))}s`);
}

describe('the worked examples of docs/workflows.md', () => {
  let herald: Herald;
  let fcm: HttpPeer;
  let twilio: TwilioPeer;
  const examples = docExamples();

  beforeAll(async () => {
    fcm = await startFcmPeer('herald-examples');
    twilio = await startTwilioPeer('AC000000000000000000000000000000e1');
    herald = await startHerald({
      WORKFLOW_POLL_INTERVAL: '100ms',
      WORKFLOW_OUTCOME_CHECK_INTERVAL: '200ms',
      PUSH_PROVIDERS: 'fcm',
      FCM_BASE_URL: fcm.url,
      FCM_PROJECT_ID: 'herald-examples',
      FCM_ACCESS_TOKEN: 'ya29.examples',
      ...twilioOnly(twilio, 'AC000000000000000000000000000000e1'),
    });
    fcm.respond = () => ({ status: 200, body: { name: 'projects/herald-examples/messages/1' } });
  });
  afterAll(async () => {
    await herald?.stop();
    await fcm?.close();
    await twilio?.close();
  });

  async function define(docKey: string): Promise<{ key: string; definition: Record<string, any> }> {
    const yaml = examples.get(docKey);
    if (!yaml) throw new Error(`docs/workflows.md has no example "${docKey}"`);
    const key = `${docKey}-${tag}`;
    const body = scaled(yaml, key);
    const res = await herald.http.put(`/v1/workflows/${key}`).set(auth).set('Content-Type', 'application/yaml').send(body).expect(200);
    return { key, definition: res.body };
  }
  async function trigger(workflow: string, recipient: Record<string, string>, payload: Record<string, unknown>): Promise<string> {
    const res = await herald.http.post('/v1/events').set(auth).send({ workflow, recipients: [recipient], payload }).expect(202);
    return res.body.runs[0].id as string;
  }
  const runOf = async (id: string) => (await herald.http.get(`/v1/workflow-runs/${id}`).set(auth).expect(200)).body;
  const completed = (id: string, timeoutMs = 30_000) => eventually(async () => ((await runOf(id)).status === 'completed' ? runOf(id) : undefined), timeoutMs, `run ${id} completed`);
  const mailsTo = (address: string) => herald.smtp.accepted.filter((m) => m.to.includes(address));

  it('has the three examples, each a definition Herald stores', () => {
    expect([...examples.keys()].sort()).toEqual(['comment-digest', 'mention', 'order-ready']);
    expect(scaled('  - id: w\n    window: 30m\n    if: { step: a, is: seen, within: 1h }', 'k')).toBe('  - id: w\n    window: 3s\n    if: { step: a, is: seen, within: 6s }');
  });

  it('escalation: no email when the in-app item is seen in time, an email when it is not', async () => {
    const { key } = await define('mention');
    const reader = { userId: `ex-reader-${tag}`, email: `ex-reader-${tag}@example.com` };
    const away = { userId: `ex-away-${tag}`, email: `ex-away-${tag}@example.com` };
    const payload = { author: 'Grace', excerpt: 'Have a look at this' };
    const readRun = await trigger(key, reader, payload);
    const awayRun = await trigger(key, away, payload);
    const item = await eventually(async () => (await herald.http.get(`/v1/users/${reader.userId}/inbox`).set(auth).expect(200)).body.items[0], 15_000, 'the in-app item');
    expect(item.title).toBe('Grace mentioned you');
    await herald.http.post(`/v1/users/${reader.userId}/inbox/${item.id}/read`).set(auth).expect(204);
    const read = await completed(readRun);
    expect(read.steps[1].produced).toEqual({ branch: 'then', next: 'end' });
    const escalated = await completed(awayRun);
    expect(escalated.steps[1].produced).toEqual({ branch: 'else', next: 'email' });
    await eventually(() => (mailsTo(away.email).length === 1 ? true : undefined), 15_000, 'the escalation email');
    expect(mailsTo(away.email)[0].subject).toBe('Grace mentioned you');
    expect(mailsTo(reader.email)).toEqual([]);
  });

  it('comment digest: the comments on one post in one email with their count, another post in its own', async () => {
    const { key } = await define('comment-digest');
    const recipient = { userId: `ex-author-${tag}`, email: `ex-author-${tag}@example.com` };
    const runs = [];
    for (const c of ['c-1', 'c-2', 'c-3']) runs.push(await trigger(key, recipient, { postId: 'p-7', postTitle: 'Hello', commentId: c }));
    const other = await trigger(key, recipient, { postId: 'p-8', postTitle: 'Other', commentId: 'c-4' });
    for (const id of [...runs, other]) await completed(id);
    await eventually(() => (mailsTo(recipient.email).length === 2 ? true : undefined), 15_000, 'two digests');
    await sleep(500);
    expect(mailsTo(recipient.email).map((m) => m.subject).sort()).toEqual(['1 new comments on Other', '3 new comments on Hello']);
    const merged = await Promise.all(runs.map(runOf));
    expect(merged.filter((r) => r.steps[0].produced.mergedInto).length).toBe(2);
  });

  it('SMS fallback: a push that fails (no device) is followed by the SMS; a push that did not fail is not', async () => {
    const { key } = await define('order-ready');
    const withPhone = { userId: `ex-phone-${tag}`, phone: '+14155550123' };
    const withDevice = { userId: `ex-device-${tag}`, phone: '+14155550124' };
    await herald.app.get(RecipientDirectory).upsert({
      userId: withDevice.userId,
      email: null,
      phone: null,
      locale: null,
      timezone: null,
      deviceTokens: [{ token: `fcm-${tag}`, platform: 'fcm' }],
      chatDestinations: [],
      attributes: {},
    });
    const fallback = await trigger(key, withPhone, { orderId: '1234' });
    const pushed = await trigger(key, withDevice, { orderId: '1235' });
    const fell = await completed(fallback);
    // No device: the push fails as soon as a worker takes it.
    const failedPush = (await herald.http.get(`/v1/notifications/${fell.steps[0].produced.notifications[0].id}`).set(auth).expect(200)).body;
    expect(failedPush.status).toBe('failed');
    expect(fell.steps[1].produced).toEqual({ branch: 'then', next: 'sms' });
    const sent = await completed(pushed);
    expect(sent.steps[1].produced).toEqual({ branch: 'else', next: 'end' });
    expect(sent.steps[2].state).toBe('skipped');
    await eventually(() => (twilio.messages.some((m) => m.params.To === withPhone.phone) ? true : undefined), 15_000, 'the SMS');
    expect(twilio.messages.filter((m) => m.params.To === withPhone.phone).map((m) => m.params.Body)).toEqual(['Order 1234 is ready for pickup']);
    expect(twilio.messages.filter((m) => m.params.To === withDevice.phone)).toEqual([]);
    expect(fcm.received.map((r) => fcmTokenOf(r.text))).toEqual([`fcm-${tag}`]);
  });
});
