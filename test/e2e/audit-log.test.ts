import { GetQueueUrlCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { CreateApiKey } from '../../src/modules/access/application/create-api-key.use-case';
import { eventually, startHerald, type Herald } from '../support/herald-harness';
import type { HttpPeer } from '../support/peers/http-peer';
import { startTwilioPeer, twilioOnly } from '../support/peers/twilio-peer';

interface Entry {
  action: string;
  target: string;
  keyId: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

describe('audit log: admin actions are recorded with the key that made them and the state before and after', () => {
  let herald: Herald;
  let twilio: HttpPeer;
  let operator: { id: string; secret: string };
  let writer: { id: string; secret: string };
  let auth: { Authorization: string };
  const sid = 'AC00000000000000000000000000000021';

  beforeAll(async () => {
    twilio = await startTwilioPeer(sid);
    // Twilio receives the request and never answers when stalled: after a second the outcome is unknown.
    herald = await startHerald({ ...twilioOnly(twilio, sid), PROVIDER_REQUEST_TIMEOUT: '1s' });
    operator = await herald.app.get(CreateApiKey).execute({ name: 'operator', scopes: ['admin'] });
    writer = await herald.app.get(CreateApiKey).execute({ name: 'writer', scopes: ['notifications:write', 'notifications:read'] });
    auth = { Authorization: `Bearer ${operator.secret}` };
  });
  afterAll(async () => {
    twilio?.resume();
    await herald?.stop();
    await twilio?.close();
  });

  /** The entries of one action done by one key, newest first. */
  async function entries(action: string, keyId = operator.id): Promise<Entry[]> {
    return (await herald.http.get('/v1/audit-log').query({ action, keyId }).set(auth).expect(200)).body.items as Entry[];
  }
  const statusOf = async (id: string) => (await herald.http.get(`/v1/notifications/${id}`).set(auth).expect(200)).body.status as string;
  const until = (id: string, status: string) => eventually(async () => ((await statusOf(id)) === status ? true : undefined), 30_000, `${id} ${status}`);
  async function send(body: object): Promise<string> {
    return (await herald.http.post('/v1/notifications').set(auth).send(body).expect(202)).body.notifications[0].id as string;
  }

  it('records an added and a removed suppression, but not a repeat add that changed nothing, nor a refused removal', async () => {
    await herald.http.post('/v1/suppressions').set(auth).send({ channel: 'email', address: 'gone@example.com', reason: 'asked by phone' }).expect(200);
    expect((await herald.http.post('/v1/suppressions').set(auth).send({ channel: 'email', address: 'gone@example.com' }).expect(200)).body).toEqual({ added: false });
    await herald.http.delete('/v1/suppressions/email/gone@example.com').set(auth).expect(204);
    await herald.http.delete('/v1/suppressions/email/gone@example.com').set(auth).expect(404);

    const log = await herald.http.get('/v1/audit-log?keyId=' + operator.id).set(auth).expect(200);
    expect(log.body.items.map((e: Entry) => [e.action, e.target, e.keyId, e.before, e.after])).toEqual([
      ['suppression.removed', 'suppression:email:gone@example.com', operator.id, { channel: 'email', address: 'gone@example.com' }, null],
      ['suppression.added', 'suppression:email:gone@example.com', operator.id, null, { channel: 'email', address: 'gone@example.com', reason: 'asked by phone' }],
    ]);
    expect((await herald.http.get('/v1/audit-log?action=suppression.added').set(auth).expect(200)).body.items).toHaveLength(1);
  });

  it('records each template version published with the version before it, and nothing for a refused one', async () => {
    await herald.http
      .put('/v1/templates/audit-welcome')
      .set(auth)
      .send({ defaultLocale: 'en', variables: ['name'], locales: { en: { email: { subject: 'Hi {{name}}', text: 'Welcome' } } } })
      .expect(200);
    await herald.http
      .put('/v1/templates/audit-welcome')
      .set(auth)
      .send({ defaultLocale: 'en', variables: ['name'], locales: { en: { email: { subject: 'Hello {{name}}', text: 'Welcome' }, sms: { text: 'Hi {{name}}' } }, fr: { email: { subject: 'Bonjour {{name}}', text: 'Bienvenue' } } } })
      .expect(200);
    await herald.http.put('/v1/templates/audit-welcome').set(auth).send({ defaultLocale: 'en', variables: [], locales: { en: { email: { text: 'no subject' } } } }).expect(400);

    const [second, first] = await entries('template.published');
    expect(await entries('template.published')).toHaveLength(2);
    expect(first).toMatchObject({ target: 'template:audit-welcome', keyId: operator.id, before: null, after: { version: 1, locales: ['en'], channels: ['email'], variables: ['name'] } });
    expect(second).toMatchObject({
      target: 'template:audit-welcome',
      keyId: operator.id,
      before: { version: 1, locales: ['en'], channels: ['email'], defaultLocale: 'en' },
      after: { version: 2, locales: ['en', 'fr'], channels: ['email', 'sms'], defaultLocale: 'en' },
    });
    // The content is not copied into the log; its digest tells that it changed.
    expect(second.after!.contentDigest).toEqual(expect.any(String));
    expect(second.after!.contentDigest).not.toBe(second.before!.contentDigest);
    expect(second.before!.contentDigest).toBe(first.after!.contentDigest);
  });

  it('records a category declared and changed, but not the same PUT again', async () => {
    await herald.http.put('/v1/categories/audit-news').set(auth).send({ description: 'News', channelDefaults: { email: true } }).expect(200);
    await herald.http.put('/v1/categories/audit-news').set(auth).send({ description: 'News', channelDefaults: { email: true } }).expect(200);
    await herald.http.put('/v1/categories/audit-news').set(auth).send({ description: 'News', critical: true, channelDefaults: { email: false } }).expect(200);
    await herald.http.put('/v1/categories/audit-news').set(auth).send({ channelDefaults: { pigeon: true } }).expect(400);

    expect((await entries('category.changed')).map((e) => [e.target, e.keyId, e.before, e.after])).toEqual([
      [
        'category:audit-news',
        operator.id,
        { name: 'audit-news', description: 'News', critical: false, channelDefaults: { email: true } },
        { name: 'audit-news', description: 'News', critical: true, channelDefaults: { email: false } },
      ],
      ['category:audit-news', operator.id, null, { name: 'audit-news', description: 'News', critical: false, channelDefaults: { email: true } }],
    ]);
  });

  it("records a user's preferences replaced through the API with the key that did it, but not the same PUT again", async () => {
    const asWriter = { Authorization: `Bearer ${writer.secret}` };
    const body = { categories: { 'audit-news': { email: false, sms: true } }, optedOutChannels: ['push', 'sms'] };
    await herald.http.put('/v1/recipients/u-audit/preferences').set(asWriter).send(body).expect(200);
    await herald.http.put('/v1/recipients/u-audit/preferences').set(asWriter).send({ ...body, optedOutChannels: ['sms', 'push'] }).expect(200);
    await herald.http.put('/v1/recipients/u-audit/preferences').set(asWriter).send({ categories: {}, optedOutChannels: ['push'] }).expect(200);

    expect((await entries('preferences.changed', writer.id)).map((e) => [e.target, e.keyId, e.before, e.after])).toEqual([
      ['recipient:u-audit', writer.id, { categories: { 'audit-news': { email: false, sms: true } }, optedOutChannels: ['push', 'sms'] }, { categories: {}, optedOutChannels: ['push'] }],
      ['recipient:u-audit', writer.id, { categories: {}, optedOutChannels: [] }, { categories: { 'audit-news': { email: false, sms: true } }, optedOutChannels: ['push', 'sms'] }],
    ]);
  });

  it('records a redrive of failed notifications with the ids it moved, and not a second one that moved none', async () => {
    herald.smtp.respond = () => ({ code: 550, message: '5.1.1 mailbox unavailable' });
    const id = await send({ recipient: { email: 'audit-bounce@example.com' }, channels: ['email'], content: { email: { subject: 'Refused', text: 'Bounces' } } });
    await until(id, 'failed');
    herald.smtp.respond = () => undefined;
    expect((await herald.http.post('/v1/failed-notifications/redrive').set(auth).send({ ids: [id] }).expect(200)).body).toEqual({ redriven: 1, ids: [id] });
    expect((await herald.http.post('/v1/failed-notifications/redrive').set(auth).send({ ids: [id] }).expect(200)).body.redriven).toBe(0);

    expect((await entries('notifications.redriven')).map((e) => [e.target, e.keyId, e.before, e.after])).toEqual([
      ['notifications:failed', operator.id, { selection: { named: 1 }, status: 'failed', notificationIds: [id] }, { selection: { named: 1 }, status: 'queued', redriven: 1, notificationIds: [id] }],
    ]);
  });

  it('records a dead-letter redrive with the channel and how many moved, and not one that moved nothing', async () => {
    const id = await send({ recipient: { email: 'audit-dead@example.com' }, channels: ['email'], content: { email: { subject: 'Once', text: 'Sent once' } } });
    await until(id, 'sent');
    const sqs = herald.app.get(SQSClient);
    const dlqUrl = (await sqs.send(new GetQueueUrlCommand({ QueueName: `${herald.env.SQS_QUEUE_PREFIX}email-dlq` }))).QueueUrl!;
    await sqs.send(new SendMessageCommand({ QueueUrl: dlqUrl, MessageBody: JSON.stringify({ notificationId: id, channel: 'email' }) }));
    expect((await herald.http.post('/v1/dead-letters/email/redrive').set(auth).send({ all: true }).expect(200)).body).toEqual({ redriven: 1, poison: 0 });
    expect((await herald.http.post('/v1/dead-letters/email/redrive').set(auth).send({ all: true }).expect(200)).body).toEqual({ redriven: 0, poison: 0 });

    expect((await entries('dead_letters.redriven')).map((e) => [e.target, e.keyId, e.before, e.after])).toEqual([
      ['dead_letters:email', operator.id, { channel: 'email', selection: { all: true }, queue: 'dead-letter' }, { channel: 'email', selection: { all: true }, queue: 'channel', redriven: 1, poisonKept: 0 }],
    ]);
  });

  it('records a resend of unknown notifications with the ids resent, and not a second one that resent none', async () => {
    twilio.stall();
    const id = await send({ recipient: { phone: '+14155550141' }, channels: ['sms'], content: { sms: { text: 'Your code' } } });
    await until(id, 'unknown');
    twilio.resume();
    expect((await herald.http.post('/v1/notifications/resend').set(auth).send({ ids: [id], acceptDuplicateRisk: true }).expect(200)).body.resent).toBe(1);
    expect((await herald.http.post('/v1/notifications/resend').set(auth).send({ ids: [id], acceptDuplicateRisk: true }).expect(200)).body.resent).toBe(0);

    expect((await entries('notifications.resent')).map((e) => [e.target, e.keyId, e.before, e.after])).toEqual([
      ['notifications:unknown', operator.id, { status: 'unknown', notificationIds: [id] }, { status: 'queued', acceptedDuplicateRisk: true, resent: 1, notificationIds: [id] }],
    ]);
  });

  it('records a fan-out started with its topic and id, once for a replay of the same Idempotency-Key', async () => {
    await herald.http.put('/v1/topics/audit-topic').set(auth).send({ name: 'Audit topic' }).expect(200);
    await herald.http.post('/v1/topics/audit-topic/subscribers').set(auth).send({ userIds: ['u-f1', 'u-f2'] }).expect(200);
    const asWriter = { Authorization: `Bearer ${writer.secret}` };
    const body = { channels: ['inapp'], content: { inapp: { title: 'New', body: 'A new chapter' } } };
    const accepted = await herald.http.post('/v1/topics/audit-topic/notifications').set(asWriter).set('Idempotency-Key', 'audit-f-1').send(body).expect(202);
    const replay = await herald.http.post('/v1/topics/audit-topic/notifications').set(asWriter).set('Idempotency-Key', 'audit-f-1').send(body).expect(202);
    expect(replay.headers['idempotent-replayed']).toBe('true');

    expect((await entries('fanout.started', writer.id)).map((e) => [e.target, e.keyId, e.before, e.after])).toEqual([
      [
        'topic:audit-topic',
        writer.id,
        null,
        { topic: 'audit-topic', fanoutId: accepted.body.id, channels: ['inapp'], category: null, template: null, total: 2, idempotencyKey: 'audit-f-1' },
      ],
    ]);
  });

  it('filters by every new action, and refuses an unknown one', async () => {
    for (const action of ['template.published', 'category.changed', 'notifications.redriven', 'dead_letters.redriven', 'notifications.resent']) {
      const items = (await herald.http.get('/v1/audit-log').query({ action }).set(auth).expect(200)).body.items as Entry[];
      expect(items.length).toBeGreaterThan(0);
      expect(items.every((e) => e.action === action)).toBe(true);
    }
    // The writer's changes are found by its key, and none of the operator's with them.
    const byWriter = (await herald.http.get('/v1/audit-log').query({ keyId: writer.id }).set(auth).expect(200)).body.items as Entry[];
    expect(byWriter.map((e) => e.action).sort()).toEqual(['fanout.started', 'preferences.changed', 'preferences.changed']);
    const refused = await herald.http.get('/v1/audit-log').query({ action: 'template.deleted' }).set(auth).expect(400);
    expect(refused.body.error.code).toBe('validation_failed');
  });
});
