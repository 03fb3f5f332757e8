import { VapidWebPushAdapter } from '../../../src/infrastructure/providers/webpush/vapid-web-push.adapter';
import { browserSubscription, startPushService, vapidKeys } from '../../support/peers/web-push-peer';
import type { HttpPeer } from '../../support/peers/http-peer';
import { providerConfig } from '../../support/provider-config';

describe('VAPID web push adapter against a push service peer', () => {
  let peer: HttpPeer;
  let adapter: VapidWebPushAdapter;
  const keys = vapidKeys();
  const content = { title: 'Shipped', body: 'On its way', url: 'https://shop.example.com/o/1' };
  const notificationId = '0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b';

  beforeAll(async () => {
    peer = await startPushService();
    adapter = new VapidWebPushAdapter(
      providerConfig({ VAPID_PUBLIC_KEY: keys.publicKey, VAPID_PRIVATE_KEY: keys.privateKey, VAPID_SUBJECT: 'mailto:ops@herald.test', WEBPUSH_TTL_SECONDS: '3600' }),
    );
  });
  afterAll(() => peer.close());
  beforeEach(() => {
    peer.received.length = 0;
    peer.respond = () => ({ status: 201, headers: { location: '/messages/1' } });
  });

  it('posts an encrypted payload to the subscription endpoint with VAPID authorization, TTL and topic', async () => {
    const subscription = browserSubscription(`${peer.url}/push/sub-1`);
    expect(await adapter.send({ notificationId, subscription, content })).toEqual({ outcome: 'sent', providerMessageId: '/messages/1' });
    const req = peer.received[0];
    expect(req.method).toBe('POST');
    expect(req.url).toBe('/push/sub-1');
    expect(req.headers.authorization).toMatch(new RegExp(`^vapid t=[\\w-]+\\.[\\w-]+\\.[\\w-]+, k=${keys.publicKey}$`));
    expect(req.headers['content-encoding']).toBe('aes128gcm');
    expect(req.headers.ttl).toBe('3600');
    expect(req.headers.topic).toBe(notificationId.replace(/-/g, ''));
    expect(req.body.length).toBeGreaterThan(86);
    expect(req.text).not.toContain('Shipped');
  });

  it.each([404, 410])('%i means the subscription is gone: permanent, flagged for removal', async (status) => {
    peer.respond = () => ({ status, body: 'push subscription has unsubscribed or expired.' });
    expect(await adapter.send({ notificationId, subscription: browserSubscription(`${peer.url}/push/sub-2`), content })).toEqual({
      outcome: 'permanent',
      code: `webpush_${status}`,
      message: `HTTP ${status} from the push service`,
      deadAddress: true,
    });
  });

  it('400 is permanent', async () => {
    peer.respond = () => ({ status: 400, body: 'bad request' });
    expect(await adapter.send({ notificationId, subscription: browserSubscription(`${peer.url}/push/sub-3`), content })).toEqual({
      outcome: 'permanent',
      code: 'webpush_400',
      message: 'HTTP 400 from the push service',
    });
  });

  it('429 is transient and honours Retry-After; 503 is transient', async () => {
    peer.respond = () => ({ status: 429, headers: { 'retry-after': '20' } });
    expect(await adapter.send({ notificationId, subscription: browserSubscription(`${peer.url}/push/sub-4`), content })).toMatchObject({
      outcome: 'transient',
      code: 'webpush_429',
      retryAfterMs: 20_000,
    });
    peer.respond = () => ({ status: 503 });
    expect(await adapter.send({ notificationId, subscription: browserSubscription(`${peer.url}/push/sub-4`), content })).toMatchObject({ outcome: 'transient', code: 'webpush_503' });
  });
});
