import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { Response } from 'supertest';
import { CreateApiKey } from '../../src/modules/access/application/create-api-key.use-case';
import { committedDocument, type Json } from '../contract/openapi-tools';
import { ADMIN_KEY, eventually, startHerald, type Herald } from '../support/herald-harness';
import { examplesOf, jsonBodyOperations, pathOf, type Operation } from '../support/openapi-examples';

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;
type Method = (typeof METHODS)[number];

/**
 * Checks real answers against the committed document: the status is one the operation declares, the media type is
 * one that response declares, the body validates against its schema (Ajv, with the OpenAPI 3.0 `nullable` keyword
 * and formats), and the headers it declares are present.
 */
class DocumentChecker {
  private readonly ajv = new Ajv({ strict: false, allErrors: true });
  private readonly validators = new Map<string, ValidateFunction>();
  readonly checked = new Map<string, Set<string>>();

  constructor(private readonly doc: Json) {
    addFormats(this.ajv);
    // The components under an id of their own, so that "#/components/schemas/X" in them resolves.
    this.ajv.addSchema({ $id: 'herald', components: doc.components }, 'herald');
  }

  operation(method: Method, template: string): Json {
    return this.doc.paths[template][method] as Json;
  }

  problems(method: Method, template: string, res: Response): string[] {
    const where = `${method.toUpperCase()} ${template} -> ${res.status}`;
    const responses: Json = this.operation(method, template).responses;
    const declared: Json | undefined = responses[String(res.status)] ?? responses[`${String(res.status)[0]}XX`] ?? responses.default;
    if (!declared) return [`${where}: status not in the document (declares ${Object.keys(responses).join(', ')}) ${JSON.stringify(res.body).slice(0, 200)}`];
    const seen = this.checked.get(`${method} ${template}`) ?? new Set<string>();
    seen.add(String(res.status));
    this.checked.set(`${method} ${template}`, seen);
    const problems: string[] = [];
    for (const header of Object.keys(declared.headers ?? {})) {
      if (res.headers[header.toLowerCase()] === undefined) problems.push(`${where}: header ${header} missing`);
    }
    const content: Json | undefined = declared.content;
    const text = res.text ?? '';
    if (!content) {
      if (text.length > 0 && res.status !== 302) problems.push(`${where}: the document declares no body, got ${res.headers['content-type']}`);
      return problems;
    }
    const type = String(res.headers['content-type'] ?? '').split(';')[0].trim();
    const media: Json | undefined = content[type] ?? content['*/*'];
    if (!media) return [...problems, `${where}: media type ${type || '(none)'} not declared (${Object.keys(content).join(', ')})`];
    if (type !== 'application/json' || !media.schema) return problems;
    const key = `${where} ${type}`;
    let validate = this.validators.get(key);
    if (!validate) {
      validate = this.ajv.compile(JSON.parse(JSON.stringify(media.schema).replace(/"#\/components\//g, '"herald#/components/')) as Json);
      this.validators.set(key, validate);
    }
    if (!validate(res.body)) problems.push(`${where}: body does not match: ${this.ajv.errorsText(validate.errors)} in ${JSON.stringify(res.body).slice(0, 300)}`);
    return problems;
  }
}

describe('real answers match the committed OpenAPI document', () => {
  let herald: Herald;
  let checker: DocumentChecker;
  let doc: Json;
  let readerKey: string;
  const problems: string[] = [];
  const admin = { Authorization: `Bearer ${ADMIN_KEY}` };

  function allOperations(): Array<{ method: Method; template: string; op: Json }> {
    const out: Array<{ method: Method; template: string; op: Json }> = [];
    for (const [template, item] of Object.entries<Json>(doc.paths)) for (const method of METHODS) if (item[method]) out.push({ method, template, op: item[method] });
    return out;
  }

  async function call(method: Method, template: string, url: string, options: { auth?: Record<string, string>; body?: unknown } = {}): Promise<Response> {
    let req = herald.http[method](url);
    if (options.auth) req = req.set(options.auth);
    const res = options.body === undefined ? await req : await req.send(options.body as object);
    problems.push(...checker.problems(method, template, res));
    return res;
  }

  beforeAll(async () => {
    herald = await startHerald({ RATE_LIMIT_PER_MINUTE: '100000', HTTP_BODY_LIMIT_BYTES: '100000', INBOX_TOKEN_SECRET: `inbox-token-secret-${'i'.repeat(32)}` });
    doc = committedDocument();
    checker = new DocumentChecker(doc);
    readerKey = (await herald.app.get(CreateApiKey).execute({ name: 'reader', scopes: ['notifications:read'] })).secret;
  });
  afterAll(() => herald.stop());

  it('every JSON request-body example gets an answer the document describes', async () => {
    const components: Json = doc.components.schemas;
    for (const operation of jsonBodyOperations(doc)) {
      for (const example of examplesOf(operation, components)) {
        await call(operation.method, operation.path, pathOf(operation), { auth: admin, body: example.body });
      }
    }
    expect(problems.splice(0)).toEqual([]);
  });

  it('every read with the documented example parameters gets an answer the document describes', async () => {
    const sent = await call('post', '/v1/notifications', '/v1/notifications', {
      auth: admin,
      body: { recipient: { userId: 'u-42', email: 'ada@example.com' }, channels: ['email'], content: { email: { subject: 'Hi', text: 'Hello' } }, metadata: { orderId: 'o-1' } },
    });
    const id = String(sent.body.notifications[0].id);
    await call('get', '/v1/notifications/{id}', `/v1/notifications/${id}`, { auth: admin });
    await call('get', '/v1/notifications/{id}/content', `/v1/notifications/${id}/content`, { auth: admin });
    for (const { method, template, op } of allOperations()) {
      if (method !== 'get' || template === '/v1/users/{userId}/inbox/stream') continue;
      let url: string;
      try {
        url = pathOf({ method: 'post', path: template, op } as Operation);
      } catch {
        continue; // a path parameter with no example (an id Herald made): read above or below with a real one
      }
      await call(method, template, url, { auth: admin });
    }
    // The fan-outs of the topic the examples above created and sent to (its query parameter has no default).
    expect((await call('get', '/v1/fanouts', '/v1/fanouts?topic=author-ada-lovelace', { auth: admin })).body.items.length).toBeGreaterThan(0);
    expect(problems.splice(0)).toEqual([]);
  });

  it('error answers are the documented ErrorResponseDto: no key, a narrow key, an unknown id, an invalid body', async () => {
    for (const { method, template, op } of allOperations()) {
      if (op['x-herald-scope'] === 'public') continue;
      const url = template.replace(/\{[^}]+\}/g, 'x-1');
      const none = await call(method, template, url);
      expect(none.status).toBe(401);
      if (!['notifications:read', 'any', 'user'].includes(op['x-herald-scope'])) {
        const narrow = await call(method, template, url, { auth: { Authorization: `Bearer ${readerKey}` } });
        expect(narrow.status).toBe(403);
      }
    }
    await call('get', '/v1/notifications/{id}', '/v1/notifications/0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b', { auth: admin });
    await call('get', '/v1/recipients/{userId}', '/v1/recipients/nobody-here', { auth: admin });
    await call('get', '/v1/notifications', '/v1/notifications?status=bogus&metadata=novalue', { auth: admin });
    const day = new Date(Math.floor(Date.now() / 86_400_000) * 86_400_000);
    const buckets = await call('get', '/v1/analytics/engagement', `/v1/analytics/engagement?from=${day.toISOString()}&to=${new Date(day.getTime() + 2 * 86_400_000).toISOString()}&interval=day&channel=email`, { auth: admin });
    expect(buckets.body.buckets).toHaveLength(2);
    await call('get', '/v1/analytics/engagement', '/v1/analytics/engagement?from=2026-11-01&to=2026-11-02&interval=week', { auth: admin });
    await call('get', '/v1/providers/health', '/v1/providers/health?window=forever', { auth: admin });
    await call('delete', '/v1/api-keys/{id}', '/v1/api-keys/0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b', { auth: admin });
    await call('post', '/v1/api-keys', '/v1/api-keys', { auth: admin, body: { name: 'x', scopes: ['admin'], expiresAt: '2020-01-01T00:00:00Z' } });
    await call('post', '/v1/notifications', '/v1/notifications', { auth: admin, body: { recipient: { email: 'not-an-address' }, channels: ['pigeon'] } });
    await call('put', '/v1/recipients/{userId}', '/v1/recipients/u-1', { auth: admin, body: { email: 'nope', surprise: true } });
    const topic = await herald.http.put('/v1/topics/t-1').set(admin).set('Content-Type', 'application/json').send('{"name": ');
    expect(topic.status).toBe(400);
    problems.push(...checker.problems('put', '/v1/topics/{key}', topic));
    const text = await herald.http.put('/v1/recipients/u-1').set(admin).set('Content-Type', 'text/plain').send('email=ada@example.com');
    expect(text.status).toBe(415);
    problems.push(...checker.problems('put', '/v1/recipients/{userId}', text));
    const large = await herald.http.post('/v1/templates/t-1/preview').set(admin).send({ data: { big: 'x'.repeat(200_000) } });
    expect(large.status).toBe(413);
    problems.push(...checker.problems('post', '/v1/templates/{key}/preview', large));
    await call('get', '/v1/unsubscribe', '/v1/unsubscribe?token=tampered');
    await call('get', '/t/o/{token}', '/t/o/tampered');
    await call('get', '/t/c/{token}', '/t/c/tampered');
    expect(problems.splice(0)).toEqual([]);
  });

  it('the user-token routes, called with a user token, get the answers the document describes', async () => {
    const minted = await call('post', '/v1/inbox/tokens', '/v1/inbox/tokens', { auth: admin, body: { userId: 'u-doc' } });
    const user = { Authorization: `Bearer ${String(minted.body.token)}` };
    await call('post', '/v1/notifications', '/v1/notifications', { auth: admin, body: { recipient: { userId: 'u-doc' }, channels: ['inapp'], content: { inapp: { title: 'Hi', body: 'There' } } } });
    const page = await eventually(async () => {
      const res = await call('get', '/v1/inbox/items', '/v1/inbox/items?filter=unread&limit=5', { auth: user });
      return res.body.items?.length ? res : undefined;
    }, 30_000, 'the item');
    const id = String(page.body.items[0].id);
    await call('get', '/v1/inbox/counts', '/v1/inbox/counts', { auth: user });
    for (const mark of ['seen', 'read', 'unread', 'archive', 'unarchive']) {
      await call('post', `/v1/inbox/items/{id}/${mark}`, `/v1/inbox/items/${id}/${mark}`, { auth: user });
      await call('post', `/v1/inbox/items/{id}/${mark}`, `/v1/inbox/items/0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b/${mark}`, { auth: user });
    }
    for (const bulk of ['read-all', 'seen-all', 'archive-all']) await call('post', `/v1/inbox/${bulk}`, `/v1/inbox/${bulk}`, { auth: user });
    await call('get', '/v1/inbox/items', '/v1/inbox/items?filter=nonsense', { auth: user });
    await call('get', '/v1/inbox/preferences', '/v1/inbox/preferences', { auth: user });
    await call('put', '/v1/inbox/preferences', '/v1/inbox/preferences', { auth: user, body: { categories: {}, optedOutChannels: ['sms'] } });
    await call('put', '/v1/inbox/preferences', '/v1/inbox/preferences', { auth: user, body: { categories: { invented: { email: false } }, optedOutChannels: [] } });
    // The harness configures no VAPID keys.
    await call('get', '/v1/inbox/webpush/key', '/v1/inbox/webpush/key', { auth: user });
    const subscription = { endpoint: 'https://push.example.com/s/1', keys: { p256dh: 'BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM', auth: 'tBHItJI5svbpez7KI4CCXg' } };
    await call('put', '/v1/inbox/webpush/subscriptions', '/v1/inbox/webpush/subscriptions', { auth: user, body: subscription });
    await call('delete', '/v1/inbox/webpush/subscriptions', '/v1/inbox/webpush/subscriptions', { auth: user, body: { endpoint: subscription.endpoint } });
    await call('delete', '/v1/inbox/webpush/subscriptions', '/v1/inbox/webpush/subscriptions', { auth: user, body: {} });
    const badResume = await herald.http.get('/v1/inbox/stream').set(user).set('Last-Event-ID', 'not-an-id');
    expect(badResume.status).toBe(400);
    problems.push(...checker.problems('get', '/v1/inbox/stream', badResume));
    // An API key on a user-token route, and a user token on an API-key route.
    await call('get', '/v1/inbox/counts', '/v1/inbox/counts', { auth: admin });
    await call('get', '/v1/notifications', '/v1/notifications', { auth: user });
    expect(problems.splice(0)).toEqual([]);
  });

  it('forms and provider callbacks refused for their token, signature or settings get the documented answers', async () => {
    const form = (url: string) => herald.http.post(url).type('form');
    const check = (method: Method, template: string, res: Response) => problems.push(...checker.problems(method, template, res));
    check('post', '/v1/unsubscribe', await form('/v1/unsubscribe?token=tampered').send('List-Unsubscribe=One-Click'));
    check('post', '/v1/preference-page', await form('/v1/preference-page?token=tampered').send('optout:sms=on'));
    const sms = await form('/v1/inbound/sms?secret=wrong').send('From=%2B14155550100&Body=STOP');
    expect(sms.status).toBe(403);
    check('post', '/v1/inbound/sms', sms);
    const ses = await herald.http.post('/v1/webhooks/ses').set('Content-Type', 'text/plain').send('{"not":"sns"}');
    expect(ses.status).toBe(400);
    check('post', '/v1/webhooks/ses', ses);
    // The harness configures neither SendGrid's key, Twilio's token nor Vonage's signature secret.
    check('post', '/v1/webhooks/sendgrid', await herald.http.post('/v1/webhooks/sendgrid').send([{ event: 'delivered', timestamp: 1 }]));
    check('post', '/v1/webhooks/twilio', await form('/v1/webhooks/twilio').send('MessageSid=SM1&MessageStatus=delivered'));
    check('post', '/v1/webhooks/vonage', await form('/v1/webhooks/vonage').send('messageId=0A0000001234&status=delivered'));
    expect(problems.splice(0)).toEqual([]);
  });

  it('covered every operation', () => {
    const uncovered = allOperations()
      .map(({ method, template }) => `${method} ${template}`)
      .filter((key) => !checker.checked.has(key));
    expect(uncovered).toEqual([]);
  });
});

describe('a 429 matches the committed OpenAPI document', () => {
  let herald: Herald;
  beforeAll(async () => {
    herald = await startHerald({ RATE_LIMIT_PER_MINUTE: '1' });
  });
  afterAll(() => herald.stop());

  it('on a route with a key and on a public route, with Retry-After', async () => {
    const checker = new DocumentChecker(committedDocument());
    const admin = { Authorization: `Bearer ${ADMIN_KEY}` };
    await herald.http.get('/v1/categories').set(admin);
    const keyed = await herald.http.get('/v1/categories').set(admin);
    const open = [await herald.http.get('/t/o/tampered'), await herald.http.get('/t/o/tampered')];
    expect([keyed.status, open[1].status]).toEqual([429, 429]);
    expect([...checker.problems('get', '/v1/categories', keyed), ...checker.problems('get', '/t/o/{token}', open[1])]).toEqual([]);
    // Probes are out of the budget, and their operations say no 429.
    for (let i = 0; i < 3; i++) await herald.http.get('/health/live').expect(200);
    expect(committedDocument().paths['/health/live'].get.responses['429']).toBeUndefined();
  });
});
