import { FcmPushAdapter } from '../../../src/infrastructure/providers/fcm/fcm.adapter';
import { fcmError, startFcmPeer } from '../../support/peers/fcm-peer';
import type { HttpPeer } from '../../support/peers/http-peer';
import { providerConfig } from '../../support/provider-config';

describe('FCM HTTP v1 adapter against an FCM peer', () => {
  let peer: HttpPeer;
  let adapter: FcmPushAdapter;
  const push = { notificationId: '0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b', token: 'device-token-1', content: { title: 'Shipped', body: 'On its way', data: { orderId: 'o-1' } } };

  beforeAll(async () => {
    peer = await startFcmPeer('herald-test');
    adapter = new FcmPushAdapter(providerConfig({ PUSH_PROVIDERS: 'fcm', FCM_BASE_URL: peer.url, FCM_PROJECT_ID: 'herald-test', FCM_ACCESS_TOKEN: 'ya29.test-token' }));
  });
  afterAll(() => peer.close());
  beforeEach(() => {
    peer.received.length = 0;
    peer.respond = () => ({ status: 200, body: { name: 'projects/herald-test/messages/42' } });
  });

  it('posts the v1 message to messages:send with the bearer token, and reports the message name', async () => {
    expect(await adapter.send(push)).toEqual({ outcome: 'sent', providerMessageId: 'projects/herald-test/messages/42' });
    const req = peer.received[0];
    expect(req.method).toBe('POST');
    expect(req.url).toBe('/v1/projects/herald-test/messages:send');
    expect(req.headers.authorization).toBe('Bearer ya29.test-token');
    const { message } = JSON.parse(req.text);
    expect(message.token).toBe('device-token-1');
    expect(message.notification).toEqual({ title: 'Shipped', body: 'On its way' });
    expect(message.data).toEqual({ orderId: 'o-1', heraldNotificationId: push.notificationId });
  });

  it('UNREGISTERED (404) means a dead token: permanent, flagged for removal', async () => {
    peer.respond = () => fcmError(404, 'NOT_FOUND', 'UNREGISTERED', 'Requested entity was not found.');
    expect(await adapter.send(push)).toEqual({ outcome: 'permanent', code: 'fcm_unregistered', message: 'Requested entity was not found.', deadAddress: true });
  });

  it('INVALID_ARGUMENT (400) is permanent and the token is kept', async () => {
    peer.respond = () => fcmError(400, 'INVALID_ARGUMENT', 'INVALID_ARGUMENT', 'The registration token is not a valid FCM registration token');
    const result = await adapter.send(push);
    expect(result).toMatchObject({ outcome: 'permanent', code: 'fcm_invalid_argument' });
    expect(result).not.toHaveProperty('deadAddress');
  });

  it('QUOTA_EXCEEDED (429) is transient and honours Retry-After', async () => {
    peer.respond = () => fcmError(429, 'RESOURCE_EXHAUSTED', 'QUOTA_EXCEEDED', 'Quota exceeded.', { 'retry-after': '30' });
    expect(await adapter.send(push)).toEqual({ outcome: 'transient', code: 'fcm_quota_exceeded', message: 'Quota exceeded.', retryAfterMs: 30_000 });
  });

  it('UNAVAILABLE (503) is transient', async () => {
    peer.respond = () => fcmError(503, 'UNAVAILABLE', 'UNAVAILABLE', 'The service is currently unavailable.');
    expect(await adapter.send(push)).toMatchObject({ outcome: 'transient', code: 'fcm_unavailable' });
  });

  it('INTERNAL (500) is transient', async () => {
    peer.respond = () => fcmError(500, 'INTERNAL', 'INTERNAL', 'Internal error encountered.');
    expect(await adapter.send(push)).toMatchObject({ outcome: 'transient', code: 'fcm_internal' });
  });

  it('a connection closed after the request was read is an unknown outcome, sent once', async () => {
    peer.respond = () => ({ status: 200, drop: true });
    expect(await adapter.send(push)).toMatchObject({ outcome: 'unknown', code: 'fcm_connection_lost' });
    expect(peer.received).toHaveLength(1);
  });

  it('a provider that cannot be reached is transient: nothing was sent', async () => {
    const closed = await startFcmPeer('herald-test');
    const url = closed.url;
    await closed.close();
    const unreachable = new FcmPushAdapter(providerConfig({ PUSH_PROVIDERS: 'fcm', FCM_BASE_URL: url, FCM_PROJECT_ID: 'herald-test', FCM_ACCESS_TOKEN: 't' }));
    expect(await unreachable.send(push)).toMatchObject({ outcome: 'transient', code: 'fcm_unreachable' });
  });
});
