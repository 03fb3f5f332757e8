import { SesEmailAdapter } from '../../../src/infrastructure/providers/ses/ses.adapter';
import type { HttpPeer } from '../../support/peers/http-peer';
import { sesError, startSesPeer } from '../../support/peers/ses-peer';
import { providerConfig } from '../../support/provider-config';

describe('SES v2 email adapter against an SES v2 peer', () => {
  let peer: HttpPeer;
  let adapter: SesEmailAdapter;
  const email = { notificationId: '0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b', to: 'ada@example.com', subject: 'Shipped', text: 'On its way', html: '<p>On its way</p>' };

  beforeAll(async () => {
    peer = await startSesPeer();
    adapter = new SesEmailAdapter(providerConfig({ EMAIL_PROVIDERS: 'ses', SES_ENDPOINT: peer.url, SES_FROM: 'Herald <no-reply@herald.test>', SES_REGION: 'eu-west-1' }));
  });
  afterAll(async () => {
    adapter.onApplicationShutdown();
    await peer.close();
  });
  beforeEach(() => {
    peer.received.length = 0;
    peer.respond = () => ({ status: 200, body: { MessageId: 'ses-message-1' } });
  });

  it('posts SendEmail JSON to /v2/email/outbound-emails, signed with SigV4, and reports the message id', async () => {
    expect(await adapter.send(email)).toEqual({ outcome: 'sent', providerMessageId: 'ses-message-1' });
    const req = peer.received[0];
    expect(req.method).toBe('POST');
    expect(req.url).toBe('/v2/email/outbound-emails');
    expect(req.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=\w+\/\d{8}\/eu-west-1\/ses\/aws4_request, SignedHeaders=.*, Signature=[0-9a-f]{64}$/);
    const body = JSON.parse(req.text);
    expect(body.FromEmailAddress).toBe('Herald <no-reply@herald.test>');
    expect(body.Destination).toEqual({ ToAddresses: ['ada@example.com'] });
    expect(body.Content.Simple.Subject.Data).toBe('Shipped');
    expect(body.Content.Simple.Body.Text.Data).toBe('On its way');
    expect(body.Content.Simple.Body.Html.Data).toBe('<p>On its way</p>');
    expect(body.Content.Simple.Headers).toEqual([{ Name: 'X-Herald-Notification-Id', Value: email.notificationId }]);
  });

  it('MessageRejected is permanent', async () => {
    peer.respond = () => sesError(400, 'MessageRejected', 'Email address is not verified.');
    expect(await adapter.send(email)).toEqual({ outcome: 'permanent', code: 'ses_MessageRejected', message: 'Email address is not verified.' });
  });

  it('TooManyRequestsException is transient and honours Retry-After', async () => {
    peer.respond = () => sesError(429, 'TooManyRequestsException', 'Maximum sending rate exceeded.', { 'retry-after': '3' });
    expect(await adapter.send(email)).toEqual({ outcome: 'transient', code: 'ses_TooManyRequestsException', message: 'Maximum sending rate exceeded.', retryAfterMs: 3000 });
  });

  it('a 503 is transient and is not retried by the SDK (the router decides)', async () => {
    peer.respond = () => sesError(503, 'ServiceUnavailable', 'Service unavailable');
    expect(await adapter.send(email)).toMatchObject({ outcome: 'transient' });
    expect(peer.received).toHaveLength(1);
  });

  it('SendingPausedException (an account problem, not the message) is transient so another provider may send it', async () => {
    peer.respond = () => sesError(400, 'SendingPausedException', 'Email sending is disabled for your entire account.');
    expect(await adapter.send(email)).toMatchObject({ outcome: 'transient', code: 'ses_SendingPausedException' });
  });
});
