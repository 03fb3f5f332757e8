import { backoffDelay, Herald, HeraldConnectionError, HeraldError, retryAfterMs } from '../../packages/sdk/src/index';
import { HttpPeer, type PeerResponse, type Responder } from '../support/peers/http-peer';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const NOTIFICATION = { id: 'n-1', status: 'queued' };
const ACCEPTED = { requestId: 'r-1', notifications: [{ id: 'n-1', channel: 'email', status: 'queued' }] };
const unavailable: PeerResponse = { status: 503, body: { error: { code: 'unavailable', message: 'try later' } } };

/** Answers with each response in turn, then keeps answering with the last. */
const inTurn = (...answers: PeerResponse[]): Responder => {
  let i = 0;
  return () => answers[Math.min(i++, answers.length - 1)];
};

/** Catches what a call throws, to look at it. */
async function failure(call: Promise<unknown>): Promise<HeraldError> {
  try {
    await call;
  } catch (err) {
    if (err instanceof HeraldError) return err;
    throw err;
  }
  throw new Error('the call succeeded');
}

describe('the Herald SDK against a local HTTP server', () => {
  let peer: HttpPeer;
  // Short waits so that a test of three attempts takes milliseconds, not seconds.
  const herald = (options: { maxRetries?: number; maxMs?: number } = {}) =>
    new Herald({ apiKey: 'hk_test_key', baseUrl: peer.url, maxRetries: options.maxRetries, retryDelay: { baseMs: 20, maxMs: options.maxMs ?? 200 } });

  beforeEach(async () => {
    peer = await HttpPeer.start(() => ({ status: 500 }));
  });
  afterEach(async () => {
    await peer.close();
  });

  it('sends the API key as a bearer token and returns the parsed answer', async () => {
    peer.respond = () => ({ status: 200, body: NOTIFICATION });
    await expect(herald().notifications.get('n-1')).resolves.toEqual(NOTIFICATION);
    expect(peer.received.map((r) => [r.method, r.url, r.headers.authorization])).toEqual([['GET', '/v1/notifications/n-1', 'Bearer hk_test_key']]);
  });

  it('retries a GET after 5xx answers and a dropped connection, up to maxRetries, then succeeds', async () => {
    peer.respond = inTurn(unavailable, { status: 0, drop: true }, { status: 200, body: NOTIFICATION });
    await expect(herald({ maxRetries: 2 }).notifications.get('n-1')).resolves.toEqual(NOTIFICATION);
    expect(peer.received).toHaveLength(3);
  });

  it('stops after maxRetries and throws the last answer as a HeraldError', async () => {
    peer.respond = () => unavailable;
    const err = await failure(herald({ maxRetries: 3 }).recipients.get('u-1'));
    expect(peer.received).toHaveLength(4);
    expect({ status: err.status, code: err.code, message: err.message }).toEqual({ status: 503, code: 'unavailable', message: 'try later' });
  });

  it('maxRetries 0 sends once', async () => {
    peer.respond = () => unavailable;
    await failure(herald({ maxRetries: 0 }).recipients.get('u-1'));
    expect(peer.received).toHaveLength(1);
  });

  it('retries PUT and DELETE, which Herald applies once however often they come', async () => {
    peer.respond = inTurn({ status: 502 }, { status: 200, body: { userId: 'u-1' } });
    await herald().recipients.put('u-1', { email: 'ada@example.com' });
    peer.respond = inTurn({ status: 504 }, { status: 200, body: { removed: 1 } });
    await expect(herald().topics.unsubscribe('t-1', 'u-1')).resolves.toEqual({ removed: 1 });
    expect(peer.received.map((r) => r.method)).toEqual(['PUT', 'PUT', 'DELETE', 'DELETE']);
    expect(peer.received[0].text).toBe(peer.received[1].text);
  });

  it('does not retry a POST without an Idempotency-Key, nor a 501 or a 4xx', async () => {
    peer.respond = () => unavailable;
    expect((await failure(herald().inbox.markRead('u-1', 'i-1'))).status).toBe(503);
    expect((await failure(herald().deadLetters.redriveFailed({ all: true }))).status).toBe(503);
    peer.respond = () => ({ status: 501 });
    expect((await failure(herald().notifications.get('n-1'))).status).toBe(501);
    peer.respond = () => ({ status: 404, body: { error: { code: 'not_found', message: 'no such notification' } } });
    expect((await failure(herald().notifications.get('n-1'))).code).toBe('not_found');
    expect(peer.received.map((r) => r.url)).toEqual(['/v1/users/u-1/inbox/i-1/read', '/v1/failed-notifications/redrive', '/v1/notifications/n-1', '/v1/notifications/n-1']);
  });

  it('send generates an Idempotency-Key and sends the same key and body on every retry, also after a dropped connection', async () => {
    peer.respond = inTurn({ status: 500 }, { status: 0, drop: true }, { status: 202, body: ACCEPTED });
    const sdk = herald();
    await expect(sdk.notifications.send({ recipient: { email: 'ada@example.com' }, channels: ['email'], content: { email: { subject: 'Hi', text: 'Hello' } } })).resolves.toEqual(ACCEPTED);
    const keys = peer.received.map((r) => r.headers['idempotency-key']);
    expect(keys).toHaveLength(3);
    expect(keys[0]).toMatch(UUID);
    expect(new Set(keys).size).toBe(1);
    expect(new Set(peer.received.map((r) => r.text)).size).toBe(1);
    // Another call is another event: another key.
    peer.respond = () => ({ status: 202, body: ACCEPTED });
    await sdk.notifications.send({ recipient: { email: 'ada@example.com' } });
    expect(peer.received[3].headers['idempotency-key']).toMatch(UUID);
    expect(peer.received[3].headers['idempotency-key']).not.toBe(keys[0]);
  });

  it('uses the Idempotency-Key given, for send, sendBatch and topic notify', async () => {
    peer.respond = inTurn({ status: 503 }, { status: 202, body: {} });
    await herald().notifications.sendBatch([{ recipient: { userId: 'u-1' } }], { idempotencyKey: 'batch-7' });
    peer.respond = inTurn({ status: 429 }, { status: 202, body: {} });
    await herald().topics.notify('t-1', { category: 'news' }, { idempotencyKey: 'news-7' });
    peer.respond = () => ({ status: 202, body: ACCEPTED });
    await herald().notifications.send({ recipient: { userId: 'u-1' } }, { idempotencyKey: 'order-7' });
    expect(peer.received.map((r) => [r.url, r.headers['idempotency-key']])).toEqual([
      ['/v1/notifications/batch', 'batch-7'],
      ['/v1/notifications/batch', 'batch-7'],
      ['/v1/topics/t-1/notifications', 'news-7'],
      ['/v1/topics/t-1/notifications', 'news-7'],
      ['/v1/notifications', 'order-7'],
    ]);
  });

  it('waits as long as a 429 Retry-After in seconds says', async () => {
    peer.respond = inTurn({ status: 429, headers: { 'Retry-After': '1' }, body: { error: { code: 'rate_limited', message: 'slow down' } } }, { status: 200, body: NOTIFICATION });
    const started = Date.now();
    await herald({ maxMs: 5_000 }).notifications.get('n-1');
    // Without Retry-After the wait would be at most 20 ms.
    expect(Date.now() - started).toBeGreaterThanOrEqual(990);
    expect(peer.received).toHaveLength(2);
  });

  it('waits until a 429 Retry-After HTTP date', async () => {
    // HTTP dates have whole seconds: two seconds ahead is at least one second away.
    const at = new Date(Date.now() + 2_000).toUTCString();
    peer.respond = inTurn({ status: 429, headers: { 'Retry-After': at } }, { status: 200, body: NOTIFICATION });
    const started = Date.now();
    await herald({ maxMs: 5_000 }).notifications.get('n-1');
    expect(Date.now() - started).toBeGreaterThanOrEqual(990);
    expect(peer.received).toHaveLength(2);
  });

  it('does not wait for a Retry-After longer than the largest delay: the 429 is the answer', async () => {
    peer.respond = () => ({ status: 429, headers: { 'Retry-After': '120', 'X-Request-Id': 'req-429' }, body: { error: { code: 'rate_limited', message: 'slow down' } } });
    const started = Date.now();
    const err = await failure(herald({ maxMs: 1_000 }).notifications.get('n-1'));
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(peer.received).toHaveLength(1);
    expect({ status: err.status, code: err.code, requestId: err.requestId }).toEqual({ status: 429, code: 'rate_limited', requestId: 'req-429' });
  });

  it('maps Herald error bodies to HeraldError: status, code, message, details, request id', async () => {
    const details = [{ field: 'recipient.email', reason: 'must be a valid email address' }];
    peer.respond = () => ({ status: 400, headers: { 'X-Request-Id': 'req-1' }, body: { error: { code: 'validation_failed', message: 'Invalid request', details } } });
    const err = await failure(herald().notifications.send({ recipient: { email: 'nope' } }));
    expect(err).toBeInstanceOf(HeraldError);
    expect(err).toBeInstanceOf(Error);
    expect({ name: err.name, status: err.status, code: err.code, message: err.message, details: err.details, requestId: err.requestId }).toEqual({
      name: 'HeraldError',
      status: 400,
      code: 'validation_failed',
      message: 'Invalid request',
      details,
      requestId: 'req-1',
    });
  });

  it('takes the request id from the error body when the header is missing', async () => {
    peer.respond = () => ({ status: 409, body: { error: { code: 'not_cancellable', message: 'already sent', requestId: 'req-body' } } });
    const err = await failure(herald().notifications.cancel('n-1'));
    expect({ code: err.code, requestId: err.requestId, details: err.details }).toEqual({ code: 'not_cancellable', requestId: 'req-body', details: [] });
  });

  it('an answer that is not Herald JSON (a proxy page) keeps its status and text', async () => {
    peer.respond = () => ({ status: 502, headers: { 'content-type': 'text/html' }, body: '<h1>Bad Gateway</h1>' });
    const err = await failure(herald({ maxRetries: 0 }).notifications.get('n-1'));
    expect({ status: err.status, code: err.code, message: err.message, requestId: err.requestId, body: err.body }).toEqual({
      status: 502,
      code: 'http_502',
      message: 'Herald answered 502: <h1>Bad Gateway</h1>',
      requestId: null,
      body: '<h1>Bad Gateway</h1>',
    });
  });

  it('no answer at all, after the retries, is a HeraldConnectionError', async () => {
    peer.respond = () => ({ status: 0, drop: true });
    const err = await failure(herald({ maxRetries: 2 }).templates.get('welcome'));
    expect(peer.received).toHaveLength(3);
    expect(err).toBeInstanceOf(HeraldConnectionError);
    expect({ status: err.status, code: err.code }).toEqual({ status: 0, code: 'connection_failed' });
    expect(err.message).toMatch(/^No answer from Herald: ./);
    expect(err.cause).toBeDefined();
  });

  it('a POST without an Idempotency-Key that gets no answer is sent once: it may have been applied', async () => {
    peer.respond = () => ({ status: 0, drop: true });
    const err = await failure(herald({ maxRetries: 3 }).topics.subscribe('t-1', ['u-1']));
    expect(err).toBeInstanceOf(HeraldConnectionError);
    expect(peer.received).toHaveLength(1);
  });

  it('a 204 answer resolves to undefined', async () => {
    peer.respond = () => ({ status: 204 });
    await expect(herald().inbox.archive('u-1', 'i-1')).resolves.toBeUndefined();
  });

  it('uses the fetch it is given', async () => {
    peer.respond = () => ({ status: 200, body: NOTIFICATION });
    const seen: string[] = [];
    const sdk = new Herald({ apiKey: 'k', baseUrl: `${peer.url}/`, fetch: (request) => (seen.push(`${request.method} ${request.url}`), fetch(request)) });
    await sdk.notifications.get('n 1');
    expect(seen).toEqual([`GET ${peer.url}/v1/notifications/n%201`]);
  });
});

describe('backoff and Retry-After', () => {
  const options = { baseDelayMs: 100, maxDelayMs: 1_000 };

  it('full jitter: a uniform wait between 0 and min(max, base * 2^retry)', () => {
    expect([0, 1, 2, 3, 4, 10].map((retry) => backoffDelay(retry, options, () => 0.999999))).toEqual([99, 199, 399, 799, 999, 999]);
    expect([0, 1, 5].map((retry) => backoffDelay(retry, options, () => 0))).toEqual([0, 0, 0]);
    expect(backoffDelay(2, options, () => 0.5)).toBe(200);
    for (let i = 0; i < 200; i++) {
      const wait = backoffDelay(3, options);
      expect(wait).toBeGreaterThanOrEqual(0);
      expect(wait).toBeLessThan(800);
    }
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-12-01T12:00:00Z');
    expect(retryAfterMs('3', now)).toBe(3_000);
    expect(retryAfterMs(' 0 ', now)).toBe(0);
    expect(retryAfterMs('Tue, 01 Dec 2026 12:00:05 GMT', now)).toBe(5_000);
    expect(retryAfterMs('Tue, 01 Dec 2026 11:59:00 GMT', now)).toBe(0);
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs('-1', now)).toBeUndefined();
    expect(retryAfterMs(null, now)).toBeUndefined();
  });

  it('refuses options that cannot work', () => {
    expect(() => new Herald({ apiKey: '', baseUrl: 'http://h' })).toThrow('apiKey is required');
    expect(() => new Herald({ apiKey: 'k', baseUrl: '' })).toThrow('baseUrl is required');
    expect(() => new Herald({ apiKey: 'k', baseUrl: 'http://h', maxRetries: -1 })).toThrow('maxRetries');
  });
});
