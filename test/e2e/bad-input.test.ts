import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { JsonLogger } from '../../src/infrastructure/logging/json-logger';
import { emailRequest } from '../factories/notification-requests';
import { ADMIN_KEY, startHerald, type Herald } from '../support/herald-harness';
import { LogCapture } from '../support/log-capture';
import { rawRequest, type RawResponse } from '../support/raw-http';

const PROFILE = {
  email: 'grace@example.com',
  phone: '+14155550101',
  locale: 'fr-CA',
  timezone: 'America/Toronto',
  deviceTokens: [{ token: 'tok-1', platform: 'fcm' }],
  chatDestinations: [],
  attributes: { plan: 'pro' },
};

describe('bad input at the edges', () => {
  let herald: Herald;
  let base: string;
  let storedRead: Record<string, unknown> = {};
  const logs = new LogCapture();
  const auth = { Authorization: `Bearer ${ADMIN_KEY}` };
  const raw = (method: string, path: string, headers: Record<string, string> = {}, body?: string | Buffer) =>
    rawRequest(base, { method, path, headers: { ...auth, ...headers }, body });
  const errorOf = (res: RawResponse) => (JSON.parse(res.text) as { error: { code: string; message: string; details?: Array<{ field: string; reason: string }> } }).error;

  beforeAll(async () => {
    herald = await startHerald({ HERALD_ROLES: 'api', LOG_LEVEL: 'info', HTTP_BODY_LIMIT_BYTES: '50000' }, { logger: new JsonLogger('info', logs) });
    await herald.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(herald.app.getHttpServer().address() as AddressInfo).port}`;
    await herald.http.put('/v1/recipients/u-grace').set(auth).send(PROFILE).expect(200);
    // Reads mask device tokens and chat URLs: later reads must equal this one, and the table keeps the real values.
    storedRead = (await herald.http.get('/v1/recipients/u-grace').set(auth).expect(200)).body as Record<string, unknown>;
  });
  afterAll(async () => {
    await herald.stop();
  });

  const profileIsIntact = async () => {
    const got = await herald.http.get('/v1/recipients/u-grace').set(auth).expect(200);
    expect(got.body).toEqual(storedRead);
    expect(got.body).toMatchObject({ userId: 'u-grace', email: PROFILE.email, phone: PROFILE.phone });
    const { rows } = await herald.db.query(`SELECT device_tokens FROM recipients WHERE user_id = 'u-grace'`);
    expect(rows[0].device_tokens).toEqual(PROFILE.deviceTokens.map((d) => expect.objectContaining(d)));
  };

  describe('a body that is not JSON on a JSON route changes nothing', () => {
    it.each([
      ['no Content-Type', {}, '{"email":"evil@example.com"}', 415],
      ['XML', { 'Content-Type': 'application/xml' }, '<email>evil@example.com</email>', 415],
      ['multipart', { 'Content-Type': 'multipart/form-data; boundary=b' }, '--b\r\nContent-Disposition: form-data; name="email"\r\n\r\nevil@example.com\r\n--b--\r\n', 415],
      ['a form', { 'Content-Type': 'application/x-www-form-urlencoded' }, 'email=evil%40example.com', 415],
      ['garbage text', { 'Content-Type': 'text/plain' }, '\u00ff\u00fe', 415],
      ['JSON with nothing in it', { 'Content-Type': 'application/json' }, '', 400],
      ['nothing at all', {}, undefined, 400],
    ])('PUT a recipient with %s', async (_what, headers, body, status) => {
      const res = await raw('PUT', '/v1/recipients/u-grace', headers, body);
      expect(res.status).toBe(status);
      const error = errorOf(res);
      if (status === 415) {
        expect(error.code).toBe('unsupported_media_type');
        expect(error.details).toEqual([{ field: 'Content-Type', reason: 'must be application/json' }]);
      } else {
        expect(error).toMatchObject({ code: 'validation_failed', details: [{ field: 'body', reason: expect.stringContaining('is required') }] });
      }
      await profileIsIntact();
    });

    it('does the same for categories and topics', async () => {
      await herald.http.put('/v1/categories/kept').set(auth).send({ description: 'Kept', critical: true }).expect(200);
      await herald.http.put('/v1/topics/kept').set(auth).send({ name: 'Kept' }).expect(200);
      expect((await raw('PUT', '/v1/categories/kept', {}, 'description=')).status).toBe(415);
      expect((await raw('PUT', '/v1/topics/kept', { 'Content-Type': 'text/xml' }, '<name/>')).status).toBe(415);
      const categories = await herald.http.get('/v1/categories').set(auth).expect(200);
      expect(categories.body).toContainEqual({ name: 'kept', description: 'Kept', critical: true, channelDefaults: {} });
      expect((await herald.http.get('/v1/topics/kept').set(auth).expect(200)).body.name).toBe('Kept');
    });

    it('still takes the forms and text the form and webhook routes document', async () => {
      const doc = (await herald.http.get('/docs-json').expect(200)).body;
      expect(Object.keys(doc.paths['/v1/preference-page'].post.requestBody.content)).toEqual(['application/x-www-form-urlencoded']);
      expect(Object.keys(doc.paths['/v1/webhooks/twilio'].post.requestBody.content)).toEqual(['application/x-www-form-urlencoded']);
      expect(Object.keys(doc.paths['/v1/webhooks/ses'].post.requestBody.content)).toEqual(['text/plain', 'application/json']);
      expect(Object.keys(doc.paths['/v1/inbound/sms'].post.requestBody.content)).toEqual(['application/x-www-form-urlencoded', 'application/json']);
      // Reaches the route (an HTML page saying the token is not valid), not a 415.
      const page = await raw('POST', '/v1/preference-page', { 'Content-Type': 'application/x-www-form-urlencoded' }, 'token=nope&optout%3Asms=on');
      expect(page.status).toBe(400);
      expect(page.type).toMatch(/^text\/html/);
      const oneClick = await raw('POST', '/v1/unsubscribe?token=nope', { 'Content-Type': 'multipart/form-data; boundary=b' }, '--b\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n--b--\r\n');
      expect(oneClick.status).toBe(400);
      expect(oneClick.type).toMatch(/^text\/html/);
      const sms = await raw('POST', '/v1/inbound/sms?secret=wrong', { 'Content-Type': 'application/x-www-form-urlencoded' }, 'From=%2B14155550101&Body=STOP');
      expect(sms.status).toBe(403);
    });
  });

  describe('bodies that cannot be read', () => {
    it('refuses JSON nested thousands of levels anywhere with 400, before validation', async () => {
      const deep = '['.repeat(10_000) + ']'.repeat(10_000);
      const body = JSON.stringify(emailRequest()).replace(/}$/, `,"metadata":{"x":${deep}}}`);
      const res = await raw('POST', '/v1/notifications', { 'Content-Type': 'application/json' }, body);
      expect(res.status).toBe(400);
      expect(errorOf(res).details).toEqual([{ field: 'metadata.x[0][0]…', reason: 'nests objects and arrays deeper than 64 levels' }]);
      const top = await raw('PUT', '/v1/recipients/u-grace', { 'Content-Type': 'application/json' }, '{"a":'.repeat(5000) + '1' + '}'.repeat(5000));
      expect(top.status).toBe(400);
      await profileIsIntact();
    });

    it('names the item and field holding a NUL or a lone surrogate in a batch', async () => {
      const items = [emailRequest(), emailRequest({ category: 'ord\u0000ers' })];
      const nul = await herald.http.post('/v1/notifications/batch').set(auth).send({ items }).expect(400);
      expect(nul.body.error).toMatchObject({ code: 'validation_failed', details: [{ field: 'items[1].category', reason: 'must not contain NUL characters' }] });
      const surrogate = await raw('POST', '/v1/notifications/batch', { 'Content-Type': 'application/json' }, JSON.stringify({ items: [emailRequest(), emailRequest(), emailRequest()] }).replace('"subject":"', '"subject":"\\udead'));
      expect(surrogate.status).toBe(400);
      expect(errorOf(surrogate).details).toEqual([{ field: 'items[0].content.email.subject', reason: 'must not contain unpaired UTF-16 surrogates' }]);
      const profile = await herald.http.put('/v1/recipients/u-grace').set(auth).send({ ...PROFILE, attributes: { 'a\u0000': 1 } }).expect(400);
      expect(profile.body.error.details[0].field).toBe('attributes.a\ufffd');
      await profileIsIntact();
    });

    it('refuses NUL and bad escapes in paths and query values, naming them', async () => {
      const path = await raw('DELETE', '/v1/suppressions/email/a%00b%40example.com');
      expect(path.status).toBe(400);
      expect(errorOf(path).details).toEqual([{ field: 'path', reason: 'must not contain NUL characters' }]);
      expect((await raw('GET', '/v1/recipients/%ED%A0%80')).status).toBe(400);
      const query = await raw('GET', '/v1/suppressions?address=a%00b');
      expect(errorOf(query).details).toEqual([{ field: 'address', reason: 'must not contain NUL characters' }]);
    });

    it('answers an unknown Content-Encoding with 415 and a corrupt gzip with 400; a good gzip is read', async () => {
      const json = { 'Content-Type': 'application/json' };
      const unknown = await raw('POST', '/v1/notifications', { ...json, 'Content-Encoding': 'x-unknown' }, '{}');
      expect(unknown.status).toBe(415);
      expect(errorOf(unknown).code).toBe('unsupported_content_encoding');
      const zipped = gzipSync(JSON.stringify(emailRequest()));
      const corrupt = await raw('POST', '/v1/notifications', { ...json, 'Content-Encoding': 'gzip' }, Buffer.concat([zipped.subarray(0, 20), Buffer.from('garbage')]));
      expect(corrupt.status).toBe(400);
      expect(errorOf(corrupt).code).toBe('malformed_body');
      expect((await raw('POST', '/v1/notifications', { ...json, 'Content-Encoding': 'gzip' }, zipped)).status).toBe(202);
    });

    it('answers a form with too many parameters with 413', async () => {
      const form = Array.from({ length: 1200 }, (_, i) => `c%3Ax${i}%3Aemail=on`).join('&');
      const res = await raw('POST', '/v1/preference-page', { 'Content-Type': 'application/x-www-form-urlencoded' }, form);
      expect(res.status).toBe(413);
      expect(errorOf(res).code).toBe('too_many_parameters');
    });
  });

  describe('values of the wrong shape', () => {
    it('answers null where content is expected with 400', async () => {
      const res = await herald.http.post('/v1/notifications').set(auth).send({ ...emailRequest(), content: null }).expect(400);
      expect(res.body.error.details).toEqual([{ field: 'content.email', reason: 'is required for the email channel' }]);
      const topic = await herald.http.put('/v1/topics/nulls').set(auth).send({}).expect(200);
      expect(topic.body.key).toBe('nulls');
      const fanout = await herald.http.post('/v1/topics/nulls/notifications').set(auth).send({ content: null }).expect(400);
      expect(fanout.body.error.details).toEqual([{ field: 'content', reason: 'is required (or template)' }]);
      const batch = await herald.http.post('/v1/notifications/batch').set(auth).send({ items: [emailRequest(), { ...emailRequest(), content: null }] }).expect(400);
      expect(batch.body.error.details).toEqual([{ field: 'items[1].content.email', reason: 'is required for the email channel' }]);
    });

    it('answers a repeated query parameter with 400', async () => {
      const res = await raw('GET', '/v1/unsubscribe?token=a&token=b');
      expect(res.status).toBe(400);
      expect(errorOf(res).details).toEqual([{ field: 'token', reason: 'must be given once' }]);
    });

    it('answers integers out of range with 400, in queries and bodies', async () => {
      await herald.http.put('/v1/templates/greeting').set(auth).send({ defaultLocale: 'en', variables: [], locales: { en: { sms: { text: 'Hi' } } } }).expect(200);
      for (const version of ['99999999999999999999', '1e308', '2147483648', '0x1', '']) {
        const res = await raw('GET', `/v1/templates/greeting?version=${version}`);
        expect([res.status, errorOf(res).details]).toEqual([400, [{ field: 'version', reason: 'must be an integer from 1 to 2147483647' }]]);
      }
      await herald.http.get('/v1/templates/greeting?version=1').set(auth).expect(200);
      const preview = await raw('POST', '/v1/templates/greeting/preview', { 'Content-Type': 'application/json' }, '{"data":{},"version":1e308}');
      expect(preview.status).toBe(400);
      expect(errorOf(preview).details?.[0].field).toBe('version');
      expect((await raw('GET', '/v1/suppressions?limit=99999999999999999999')).status).toBe(400);
    });
  });

  describe('request ids and the access log', () => {
    const accessLine = (requestId: string) => logs.lines.find((l) => l.msg === 'http request' && l.requestId === requestId);

    it('gives every response an X-Request-Id, keeping a sane one from the caller', async () => {
      const given = await raw('GET', '/health/live', { 'X-Request-Id': 'lb-1234.abc:def' });
      expect(given.headers['x-request-id']).toBe('lb-1234.abc:def');
      for (const insane of ['has spaces', 'x'.repeat(200), 'quote"d']) {
        const replaced = await raw('GET', '/v1/notifications/nope', { 'X-Request-Id': insane });
        expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      }
      const refused = await rawRequest(base, { method: 'GET', path: '/v1/recipients/u-grace' });
      expect(refused.status).toBe(401);
      expect(refused.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('logs requests refused while their body is read, with their request id', async () => {
      const json = { 'Content-Type': 'application/json' };
      const refusals = [
        await raw('POST', '/v1/notifications', json, '{"recipient":'),
        await raw('POST', '/v1/notifications', json, JSON.stringify({ pad: 'x'.repeat(60_000) })),
        await raw('POST', '/v1/notifications', { ...json, 'Content-Encoding': 'x-unknown' }, '{}'),
        await raw('PUT', '/v1/recipients/u-grace', { 'Content-Type': 'application/xml' }, '<a/>'),
      ];
      expect(refusals.map((r) => r.status)).toEqual([400, 413, 415, 415]);
      for (const res of refusals) {
        const id = res.headers['x-request-id'] as string;
        const line = accessLine(id) ?? (await new Promise((r) => setTimeout(r, 500)), accessLine(id));
        expect(line).toMatchObject({ method: expect.any(String), status: res.status, requestId: id });
      }
    });

    it('logs a 500 with its method, route and request id', async () => {
      await herald.db.query(`ALTER TABLE recipients RENAME TO recipients_away`);
      try {
        const res = await raw('GET', '/v1/recipients/u-grace', { 'X-Request-Id': 'trace-500' });
        expect(res.status).toBe(500);
        expect(errorOf(res).code).toBe('internal_error');
        expect(res.headers['x-request-id']).toBe('trace-500');
      } finally {
        await herald.db.query(`ALTER TABLE recipients_away RENAME TO recipients`);
      }
      const failed = logs.lines.find((l) => l.msg === 'request failed' && l.requestId === 'trace-500');
      expect(failed).toMatchObject({ level: 50, method: 'GET', route: '/v1/recipients/:userId', requestId: 'trace-500' });
      expect(accessLine('trace-500')).toMatchObject({ status: 500, route: '/v1/recipients/:userId' });
    });
  });
});
