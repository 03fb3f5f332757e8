import { SendgridEmailAdapter } from '../../../src/infrastructure/providers/sendgrid/sendgrid.adapter';
import { SendgridPeer, sendgridError, sendgridTooManyRequests } from '../../support/peers/sendgrid-peer';
import { providerConfig } from '../../support/provider-config';

describe('SendGrid email adapter against a v3 Mail Send peer', () => {
  const apiKey = 'SG.test-key.0123456789';
  let peer: SendgridPeer;
  let adapter: SendgridEmailAdapter;
  const email = {
    notificationId: '0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b',
    to: 'ada@example.com',
    subject: 'Your order shipped',
    text: 'It is on its way.',
    html: '<p>It is on its way.</p>',
    category: 'orders',
    headers: { 'List-Unsubscribe': '<https://herald.test/u/abc>', 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
  };
  const adapterFor = (env: Record<string, string>) =>
    new SendgridEmailAdapter(providerConfig({ EMAIL_PROVIDERS: 'sendgrid', SENDGRID_BASE_URL: peer.url, SENDGRID_API_KEY: apiKey, SENDGRID_FROM: 'Herald <no-reply@herald.test>', PROVIDER_REQUEST_TIMEOUT: '1s', ...env }));

  beforeAll(async () => {
    peer = await SendgridPeer.start({ apiKey, verifiedSenders: ['no-reply@herald.test'], maxBytes: 64 * 1024 });
    adapter = adapterFor({});
  });
  afterAll(() => peer.close());
  beforeEach(() => {
    peer.received.length = 0;
    peer.accepted.length = 0;
    peer.fail = null;
  });

  it('posts the v3 payload with the Bearer key and keeps X-Message-Id of the 202 as the provider message id', async () => {
    const result = await adapter.send(email);
    expect(peer.accepted).toHaveLength(1);
    expect(result).toEqual({ outcome: 'sent', providerMessageId: peer.accepted[0].messageId });
    const req = peer.received[0];
    expect(req.headers.authorization).toBe(`Bearer ${apiKey}`);
    expect(req.headers['content-type']).toBe('application/json');
    expect(JSON.parse(req.text)).toEqual({
      personalizations: [{ to: [{ email: 'ada@example.com' }] }],
      from: { email: 'no-reply@herald.test', name: 'Herald' },
      subject: 'Your order shipped',
      content: [
        { type: 'text/plain', value: 'It is on its way.' },
        { type: 'text/html', value: '<p>It is on its way.</p>' },
      ],
      custom_args: { herald_notification_id: email.notificationId },
      headers: { ...email.headers, 'X-Herald-Notification-Id': email.notificationId },
      categories: ['orders'],
    });
  });

  it('sends no categories for a notification without one, and html alone when there is no text', async () => {
    await adapter.send({ notificationId: 'n-2', to: 'bob@example.com', subject: 'Hi', html: '<p>Hi</p>' });
    const body = JSON.parse(peer.received[0].text);
    expect(body.categories).toBeUndefined();
    expect(body.content).toEqual([{ type: 'text/html', value: '<p>Hi</p>' }]);
  });

  it('a 400 naming a field is permanent', async () => {
    expect(await adapter.send({ ...email, to: 'not an address' })).toEqual({ outcome: 'permanent', code: 'sendgrid_400', message: 'personalizations.0.to: Does not contain a valid address.' });
    expect(peer.accepted).toHaveLength(0);
  });

  it('a 413 (payload too large) is permanent', async () => {
    expect(await adapter.send({ ...email, html: `<p>${'x'.repeat(70 * 1024)}</p>` })).toMatchObject({ outcome: 'permanent', code: 'sendgrid_413' });
  });

  it('a bad key (401) and an unverified sender (403) are transient: the provider setup is wrong, not the message', async () => {
    expect(await adapterFor({ SENDGRID_API_KEY: 'SG.revoked' }).send(email)).toEqual({
      outcome: 'transient',
      code: 'sendgrid_401',
      message: 'The provided authorization grant is invalid, expired, or revoked',
      retryAfterMs: undefined,
    });
    expect(await adapterFor({ SENDGRID_FROM: 'someone-else@herald.test' }).send(email)).toMatchObject({ outcome: 'transient', code: 'sendgrid_403', message: expect.stringContaining('from: The from address does not match a verified Sender Identity') });
    expect(peer.accepted).toHaveLength(0);
  });

  it('a 429 with the rate-limit headers is transient and waits until X-RateLimit-Reset', async () => {
    peer.fail = () => sendgridTooManyRequests(Math.floor(Date.now() / 1000) + 30);
    const result = await adapter.send(email);
    expect(result).toMatchObject({ outcome: 'transient', code: 'sendgrid_429', message: 'too many requests' });
    expect((result as { retryAfterMs: number }).retryAfterMs).toBeGreaterThan(28_000);
    expect((result as { retryAfterMs: number }).retryAfterMs).toBeLessThanOrEqual(30_000);
  });

  it('a 5xx is transient and honours Retry-After', async () => {
    peer.fail = () => sendgridError(503, 'Service Unavailable', null, { 'retry-after': '4' });
    expect(await adapter.send(email)).toEqual({ outcome: 'transient', code: 'sendgrid_503', message: 'Service Unavailable', retryAfterMs: 4000 });
  });

  it('no answer within the time limit after the request was sent is unknown', async () => {
    peer.http.stall();
    try {
      expect(await adapter.send(email)).toMatchObject({ outcome: 'unknown', code: 'sendgrid_timeout' });
    } finally {
      peer.http.resume();
    }
  });
});
