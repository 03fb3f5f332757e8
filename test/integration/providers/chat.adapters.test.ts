import { SignedWebhookAdapter } from '../../../src/infrastructure/providers/webhook/signed-webhook.adapter';
import { SlackWebhookAdapter } from '../../../src/infrastructure/providers/slack/slack-webhook.adapter';
import { signatureIsValid, startSlackPeer, startWebhookReceiver } from '../../support/peers/chat-peers';
import type { HttpPeer } from '../../support/peers/http-peer';
import { providerConfig } from '../../support/provider-config';

const notificationId = '0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b';
const content = { text: 'Order o-1 shipped', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '*Order o-1* shipped' } }] };

describe('Slack incoming webhook adapter against a Slack webhook peer', () => {
  let peer: HttpPeer;
  let adapter: SlackWebhookAdapter;

  beforeAll(async () => {
    peer = await startSlackPeer();
    adapter = new SlackWebhookAdapter(providerConfig({ PROVIDER_REQUEST_TIMEOUT: '1s' }));
  });
  afterAll(() => peer.close());
  beforeEach(() => {
    peer.received.length = 0;
    peer.respond = () => ({ status: 200, body: 'ok' });
  });

  it('posts the text and blocks as JSON to the webhook URL', async () => {
    expect(await adapter.send({ notificationId, url: `${peer.url}/services/T0/B0/secret`, content })).toEqual({ outcome: 'sent' });
    const req = peer.received[0];
    expect(req.method).toBe('POST');
    expect(req.url).toBe('/services/T0/B0/secret');
    expect(req.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(req.text)).toMatchObject({ text: 'Order o-1 shipped', blocks: content.blocks });
  });

  it.each([
    [404, 'channel_not_found'],
    [410, 'channel_is_archived'],
    [400, 'invalid_payload'],
    [403, 'action_prohibited'],
  ])('%i %s is permanent', async (status, body) => {
    peer.respond = () => ({ status, body });
    expect(await adapter.send({ notificationId, url: `${peer.url}/services/T0/B0/secret`, content })).toEqual({
      outcome: 'permanent',
      code: `slack_${body}`,
      message: `HTTP ${status} ${body}`,
    });
  });

  it('429 is transient and honours Retry-After', async () => {
    peer.respond = () => ({ status: 429, headers: { 'retry-after': '5' }, body: 'rate_limited' });
    expect(await adapter.send({ notificationId, url: `${peer.url}/services/T0/B0/secret`, content })).toMatchObject({ outcome: 'transient', retryAfterMs: 5000 });
  });

  it('500 is transient', async () => {
    peer.respond = () => ({ status: 500, body: 'rollup_error' });
    expect(await adapter.send({ notificationId, url: `${peer.url}/services/T0/B0/secret`, content })).toMatchObject({ outcome: 'transient', code: 'slack_rollup_error' });
  });

  it('no answer within the time limit is unknown', async () => {
    peer.stall();
    try {
      expect(await adapter.send({ notificationId, url: `${peer.url}/services/T0/B0/secret`, content })).toMatchObject({ outcome: 'unknown', code: 'slack_timeout' });
    } finally {
      peer.resume();
    }
  });
});

describe('signed webhook adapter against a receiver', () => {
  let peer: HttpPeer;
  let adapter: SignedWebhookAdapter;
  const secret = 'whsec_test_0123456789abcdef';

  beforeAll(async () => {
    peer = await startWebhookReceiver();
    adapter = new SignedWebhookAdapter(providerConfig({ CHAT_PROVIDERS: 'slack,webhook', CHAT_WEBHOOK_SECRET: secret }));
  });
  afterAll(() => peer.close());
  beforeEach(() => {
    peer.received.length = 0;
    peer.respond = () => ({ status: 204 });
  });

  it('posts JSON with an HMAC signature the receiver can check, and the notification id as Idempotency-Key', async () => {
    expect(await adapter.send({ notificationId, url: `${peer.url}/hooks/herald`, content })).toEqual({ outcome: 'sent' });
    const req = peer.received[0];
    expect(req.url).toBe('/hooks/herald');
    expect(req.headers['idempotency-key']).toBe(notificationId);
    expect(signatureIsValid(secret, String(req.headers['x-herald-timestamp']), req.text, String(req.headers['x-herald-signature']))).toBe(true);
    expect(signatureIsValid('another-secret', String(req.headers['x-herald-timestamp']), req.text, String(req.headers['x-herald-signature']))).toBe(false);
    expect(JSON.parse(req.text)).toEqual({ notificationId, text: content.text, blocks: content.blocks });
  });

  it('4xx is permanent, 429 and 5xx transient; the receiver\'s body is never kept', async () => {
    peer.respond = () => ({ status: 400, body: 'internal-admin-panel: secret=hunter2' });
    expect(await adapter.send({ notificationId, url: `${peer.url}/hooks/herald`, content })).toEqual({ outcome: 'permanent', code: 'webhook_400', message: 'HTTP 400 from the destination' });
    peer.respond = () => ({ status: 429, headers: { 'retry-after': '2' } });
    expect(await adapter.send({ notificationId, url: `${peer.url}/hooks/herald`, content })).toMatchObject({ outcome: 'transient', retryAfterMs: 2000 });
    peer.respond = () => ({ status: 502 });
    expect(await adapter.send({ notificationId, url: `${peer.url}/hooks/herald`, content })).toMatchObject({ outcome: 'transient', code: 'webhook_502' });
  });

  it('does not follow a redirect: the signed request goes only where it was configured to', async () => {
    peer.respond = (req) => (req.url === '/hooks/herald' ? { status: 302, headers: { location: `${peer.url}/elsewhere` } } : { status: 204 });
    expect(await adapter.send({ notificationId, url: `${peer.url}/hooks/herald`, content })).toMatchObject({ outcome: 'permanent', code: 'webhook_302' });
    expect(peer.received.map((r) => r.url)).toEqual(['/hooks/herald']);
  });
});
