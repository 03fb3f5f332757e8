import { emailRequest } from '../factories/notification-requests';
import { ADMIN_KEY, startHerald, type Herald } from '../support/herald-harness';
import { CreateApiKey } from '../../src/modules/access/application/create-api-key.use-case';

describe('REST API contract', () => {
  let herald: Herald;
  let readOnlyKey: string;
  let writeOnlyKey: string;
  const admin = { Authorization: `Bearer ${ADMIN_KEY}` };

  beforeAll(async () => {
    herald = await startHerald({ HTTP_BODY_LIMIT_BYTES: '20000', RATE_LIMIT_PER_MINUTE: '1000' });
    const create = herald.app.get(CreateApiKey);
    readOnlyKey = (await create.execute({ name: 'reader', scopes: ['notifications:read'] })).secret;
    writeOnlyKey = (await create.execute({ name: 'writer', scopes: ['notifications:write'] })).secret;
  });
  afterAll(async () => {
    await herald.stop();
  });

  describe('authentication and scopes', () => {
    it('answers 401 without a key and with an unknown key', async () => {
      const none = await herald.http.post('/v1/notifications').send(emailRequest()).expect(401);
      expect(none.body.error.code).toBe('unauthenticated');
      const wrong = await herald.http.post('/v1/notifications').set('Authorization', 'Bearer hk_not_a_real_key').send(emailRequest()).expect(401);
      expect(wrong.body.error.message).toMatch(/unknown or revoked/);
    });

    it('answers 403 when the key lacks the scope', async () => {
      const res = await herald.http.post('/v1/notifications').set('Authorization', `Bearer ${readOnlyKey}`).send(emailRequest()).expect(403);
      expect(res.body.error).toEqual({ code: 'insufficient_scope', message: 'This API key lacks the "notifications:write" scope' });
      const accepted = await herald.http.post('/v1/notifications').set('Authorization', `Bearer ${writeOnlyKey}`).send(emailRequest()).expect(202);
      await herald.http.get(`/v1/notifications/${accepted.body.notifications[0].id}`).set('Authorization', `Bearer ${writeOnlyKey}`).expect(403);
      await herald.http.get(`/v1/notifications/${accepted.body.notifications[0].id}`).set('Authorization', `Bearer ${readOnlyKey}`).expect(200);
    });

    it('scopes idempotency keys per API key', async () => {
      const body = emailRequest();
      const a = await herald.http.post('/v1/notifications').set(admin).set('Idempotency-Key', 'shared-key').send(body).expect(202);
      const b = await herald.http.post('/v1/notifications').set('Authorization', `Bearer ${writeOnlyKey}`).set('Idempotency-Key', 'shared-key').send(body).expect(202);
      expect(a.body.requestId).not.toBe(b.body.requestId);
    });
  });

  describe('validation', () => {
    it('answers 400 listing every offending field and why, and stores nothing', async () => {
      const before = (await herald.db.query(`SELECT count(*)::int AS n FROM notifications`)).rows[0].n;
      const res = await herald.http
        .post('/v1/notifications')
        .set(admin)
        .send({
          recipient: { email: 'not-an-address' },
          channels: ['email', 'pigeon'],
          content: { email: { subject: '', text: 'hi' } },
          category: 'Has Spaces',
          surprise: true,
        })
        .expect(400);
      expect(res.body.error.code).toBe('validation_failed');
      const details: Array<{ field: string; reason: string }> = res.body.error.details;
      const fields = details.map((d) => d.field);
      expect(fields).toEqual(expect.arrayContaining(['recipient.email', 'channels', 'content.email.subject', 'category', 'surprise']));
      expect(details.find((d) => d.field === 'recipient.email')!.reason).toBe('must be a valid email address');
      expect(details.find((d) => d.field === 'channels')!.reason).toContain('known channels');
      expect(details.find((d) => d.field === 'content.email.subject')!.reason).toBe('must not be empty');
      expect(details.find((d) => d.field === 'surprise')!.reason).toBe('should not exist');
      const after = (await herald.db.query(`SELECT count(*)::int AS n FROM notifications`)).rows[0].n;
      expect(after).toBe(before);
    });

    it('names missing addresses and empty content for a channel', async () => {
      const res = await herald.http
        .post('/v1/notifications')
        .set(admin)
        .send({ recipient: { phone: '+14155550100' }, channels: ['email'], content: { email: { subject: 'Hi' } } })
        .expect(400);
      expect(res.body.error.details).toEqual(
        expect.arrayContaining([
          { field: 'recipient.email', reason: 'is required for the email channel (or a userId with a stored email)' },
          { field: 'content.email', reason: 'needs text or html (both empty)' },
        ]),
      );
    });

    it('refuses a body over the size limit with 413 and malformed JSON with 400', async () => {
      const big = emailRequest({ content: { email: { subject: 'big', text: 'x'.repeat(30_000) } } });
      const res = await herald.http.post('/v1/notifications').set(admin).send(big).expect(413);
      expect(res.body.error.code).toBe('payload_too_large');
      const bad = await herald.http.post('/v1/notifications').set(admin).set('Content-Type', 'application/json').send('{"recipient":').expect(400);
      expect(bad.body.error.code).toBe('malformed_json');
    });

    it('refuses a malformed Idempotency-Key', async () => {
      const res = await herald.http.post('/v1/notifications').set(admin).set('Idempotency-Key', 'has space').send(emailRequest()).expect(400);
      expect(res.body.error.details[0].field).toBe('Idempotency-Key');
    });

    it('answers 404 for an unknown notification', async () => {
      const res = await herald.http.get('/v1/notifications/0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b').set(admin).expect(404);
      expect(res.body.error.code).toBe('notification_not_found');
    });
  });

  describe('batch', () => {
    it('accepts items in one transaction with per-item results, and replays per item', async () => {
      const items = [emailRequest(), emailRequest(), { ...emailRequest(), idempotencyKey: 'own-key-1' }];
      const first = await herald.http.post('/v1/notifications/batch').set(admin).set('Idempotency-Key', 'batch-1').send({ items }).expect(202);
      expect(first.body).toMatchObject({ accepted: 3, duplicates: 0, rejected: 0 });
      expect(first.body.items.map((i: { outcome: string }) => i.outcome)).toEqual(['accepted', 'accepted', 'accepted']);
      const again = await herald.http.post('/v1/notifications/batch').set(admin).set('Idempotency-Key', 'batch-1').send({ items }).expect(202);
      expect(again.body).toMatchObject({ accepted: 0, duplicates: 3, rejected: 0 });
      expect(again.body.items.map((i: { requestId: string }) => i.requestId)).toEqual(first.body.items.map((i: { requestId: string }) => i.requestId));
      const changed = await herald.http
        .post('/v1/notifications/batch')
        .set(admin)
        .set('Idempotency-Key', 'batch-1')
        .send({ items: [emailRequest()] })
        .expect(202);
      expect(changed.body.items[0]).toMatchObject({ outcome: 'rejected', error: { code: 'idempotency_key_reused' } });
    });

    it('fails the whole batch with 400 when one item is invalid, naming it by index', async () => {
      const before = (await herald.db.query(`SELECT count(*)::int AS n FROM notifications`)).rows[0].n;
      const res = await herald.http
        .post('/v1/notifications/batch')
        .set(admin)
        .send({ items: [emailRequest(), emailRequest({ recipient: { email: 'nope' } })] })
        .expect(400);
      expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain('items[1].recipient.email');
      expect((await herald.db.query(`SELECT count(*)::int AS n FROM notifications`)).rows[0].n).toBe(before);
    });

    it('refuses more than 1,000 items', async () => {
      const item = emailRequest();
      const res = await herald.http.post('/v1/notifications/batch').set(admin).send({ items: Array.from({ length: 1001 }, () => item) });
      expect([400, 413]).toContain(res.status);
    });
  });

  describe('operations', () => {
    it('serves liveness and readiness without a key', async () => {
      await herald.http.get('/health/live').expect(200, { status: 'ok' });
      const ready = await herald.http.get('/health/ready').expect(200);
      expect(ready.body.details.database.status).toBe('up');
      expect(ready.body.details.queue.status).toBe('up');
    });

    it('documents every endpoint, the error shape and the auth scheme in OpenAPI', async () => {
      const doc = (await herald.http.get('/docs-json').expect(200)).body;
      expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/v1/notifications', '/v1/notifications/batch', '/v1/notifications/{id}', '/health/ready']));
      expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
      const post = doc.paths['/v1/notifications'].post;
      expect(Object.keys(post.responses)).toEqual(expect.arrayContaining(['202', '400', '401', '403', '422', '413', '429']));
      expect(doc.components.schemas.ErrorResponseDto).toBeDefined();
      expect(doc.components.schemas.EmailContentDto.properties.subject.example).toBe('Your order shipped');
      await herald.http.get('/docs').expect(200);
    });
  });
});

describe('rate limiting per API key', () => {
  let herald: Herald;
  beforeAll(async () => {
    herald = await startHerald({ RATE_LIMIT_PER_MINUTE: '3', HERALD_ROLES: 'api' });
  });
  afterAll(async () => {
    await herald.stop();
  });

  it('answers 429 past the limit for that key only', async () => {
    const admin = { Authorization: `Bearer ${ADMIN_KEY}` };
    const other = (await herald.app.get(CreateApiKey).execute({ name: 'other', scopes: ['notifications:read'] })).secret;
    for (let i = 0; i < 3; i++) await herald.http.get('/v1/notifications/0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b').set(admin).expect(404);
    const limited = await herald.http.get('/v1/notifications/0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b').set(admin).expect(429);
    expect(limited.body.error.code).toBe('rate_limited');
    await herald.http.get('/v1/notifications/0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b').set('Authorization', `Bearer ${other}`).expect(404);
  });
});
