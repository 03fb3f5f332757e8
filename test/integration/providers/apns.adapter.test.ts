import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { constants } from 'node:http2';
import { ApnsPushAdapter } from '../../../src/infrastructure/providers/apns/apns.adapter';
import { ApnsPeer, verifyApnsJwt } from '../../support/peers/apns-peer';
import { providerConfig } from '../../support/provider-config';

describe('APNs adapter over HTTP/2 against an APNs peer', () => {
  let peer: ApnsPeer;
  let adapter: ApnsPushAdapter;
  let publicKey: KeyObject;
  const push = { notificationId: '0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b', token: 'a1b2c3d4e5f6', content: { title: 'Shipped', body: 'On its way', data: { orderId: 'o-1' } } };

  beforeAll(async () => {
    const pair = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    publicKey = pair.publicKey;
    const pem = pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    peer = await ApnsPeer.start();
    adapter = new ApnsPushAdapter(
      providerConfig({
        PUSH_PROVIDERS: 'apns',
        APNS_BASE_URL: peer.url,
        APNS_KEY_ID: 'KEY1234567',
        APNS_TEAM_ID: 'TEAM123456',
        APNS_PRIVATE_KEY: Buffer.from(pem).toString('base64'),
        APNS_TOPIC: 'com.example.app',
      }),
    );
  });
  afterAll(async () => {
    adapter.onApplicationShutdown();
    await peer.close();
  });
  beforeEach(() => {
    peer.received.length = 0;
    peer.respond = () => ({ status: 200 });
  });

  it('posts to /3/device/<token> with a valid ES256 provider token and the APNs headers', async () => {
    expect(await adapter.send(push)).toEqual({ outcome: 'sent', providerMessageId: push.notificationId });
    const req = peer.received[0];
    expect(req.path).toBe('/3/device/a1b2c3d4e5f6');
    expect(req.headers[':method']).toBe('POST');
    const jwt = verifyApnsJwt(String(req.headers.authorization), publicKey);
    expect(jwt?.header).toEqual({ alg: 'ES256', kid: 'KEY1234567' });
    expect(jwt?.claims.iss).toBe('TEAM123456');
    expect(req.headers['apns-topic']).toBe('com.example.app');
    expect(req.headers['apns-push-type']).toBe('alert');
    expect(req.headers['apns-id']).toBe(push.notificationId);
    const body = JSON.parse(req.body);
    expect(body.aps.alert).toEqual({ title: 'Shipped', body: 'On its way' });
    expect(body.orderId).toBe('o-1');
  });

  it('410 Unregistered means a dead token', async () => {
    peer.respond = () => ({ status: 410, reason: 'Unregistered' });
    expect(await adapter.send(push)).toEqual({ outcome: 'permanent', code: 'apns_Unregistered', message: 'HTTP 410 Unregistered', deadAddress: true });
  });

  it('400 BadDeviceToken is permanent and the token is kept', async () => {
    peer.respond = () => ({ status: 400, reason: 'BadDeviceToken' });
    const result = await adapter.send(push);
    expect(result).toEqual({ outcome: 'permanent', code: 'apns_BadDeviceToken', message: 'HTTP 400 BadDeviceToken' });
  });

  it('429 TooManyRequests is transient, about that device token (not the provider), and honours Retry-After', async () => {
    peer.respond = () => ({ status: 429, reason: 'TooManyRequests', headers: { 'retry-after': '12' } });
    expect(await adapter.send(push)).toEqual({
      outcome: 'transient',
      code: 'apns_TooManyRequests',
      message: 'HTTP 429 TooManyRequests',
      retryAfterMs: 12_000,
      scope: 'recipient',
    });
  });

  it('503 ServiceUnavailable is transient', async () => {
    peer.respond = () => ({ status: 503, reason: 'ServiceUnavailable' });
    expect(await adapter.send(push)).toMatchObject({ outcome: 'transient', code: 'apns_ServiceUnavailable' });
  });

  it('a stream reset with REFUSED_STREAM was not processed: transient, and the next send goes through', async () => {
    peer.respond = () => ({ reset: constants.NGHTTP2_REFUSED_STREAM });
    expect(await adapter.send(push)).toMatchObject({ outcome: 'transient', code: 'apns_refused_stream' });
    peer.respond = () => ({ status: 200 });
    expect(await adapter.send(push)).toEqual({ outcome: 'sent', providerMessageId: push.notificationId });
  });

  it('a stream that ends with no answer after the request arrived is unknown, never a permanent failure', async () => {
    peer.respond = () => ({ reset: constants.NGHTTP2_NO_ERROR });
    expect(await adapter.send(push)).toMatchObject({ outcome: 'unknown', code: 'apns_connection_lost' });
    expect(peer.received).toHaveLength(1);
  });

  it('a stream reset with another error after the request arrived is unknown', async () => {
    peer.respond = () => ({ reset: constants.NGHTTP2_INTERNAL_ERROR });
    expect(await adapter.send(push)).toMatchObject({ outcome: 'unknown' });
  });

  it('reuses one HTTP/2 connection and one provider token across sends', async () => {
    await adapter.send(push);
    await adapter.send(push);
    expect(peer.received).toHaveLength(2);
    expect(peer.received[0].headers.authorization).toBe(peer.received[1].headers.authorization);
  });
});
