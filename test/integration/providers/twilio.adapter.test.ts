import { TwilioSmsAdapter } from '../../../src/infrastructure/providers/twilio/twilio.adapter';
import type { HttpPeer } from '../../support/peers/http-peer';
import { startTwilioPeer, twilioError } from '../../support/peers/twilio-peer';
import { providerConfig } from '../../support/provider-config';

describe('Twilio SMS adapter against a Twilio Messages API peer', () => {
  const sid = 'AC00000000000000000000000000000001';
  let peer: HttpPeer;
  let adapter: TwilioSmsAdapter;
  const sms = { notificationId: '0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b', to: '+14155550100', text: 'Your code is 123456' };

  beforeAll(async () => {
    peer = await startTwilioPeer(sid);
    adapter = new TwilioSmsAdapter(
      providerConfig({ SMS_PROVIDERS: 'twilio', TWILIO_BASE_URL: peer.url, TWILIO_ACCOUNT_SID: sid, TWILIO_AUTH_TOKEN: 'secret-token', TWILIO_FROM: '+14155550199', PROVIDER_REQUEST_TIMEOUT: '1s' }),
    );
  });
  afterAll(() => peer.close());
  beforeEach(() => {
    peer.received.length = 0;
    peer.respond = (req) => ({ status: 201, body: { sid: 'SM123', status: 'queued', to: new URLSearchParams(req.text).get('To') } });
  });

  it('posts the form to the account Messages resource with basic auth and a StatusCallback, and reports the message sid', async () => {
    const result = await adapter.send(sms);
    expect(result).toEqual({ outcome: 'sent', providerMessageId: 'SM123' });
    expect(peer.received).toHaveLength(1);
    const req = peer.received[0];
    expect(req.method).toBe('POST');
    expect(req.url).toBe(`/2010-04-01/Accounts/${sid}/Messages.json`);
    expect(req.headers.authorization).toBe(`Basic ${Buffer.from(`${sid}:secret-token`).toString('base64')}`);
    expect(req.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(req.text))).toEqual({
      To: '+14155550100',
      From: '+14155550199',
      Body: 'Your code is 123456',
      StatusCallback: `https://herald.test/v1/webhooks/twilio?notificationId=${sms.notificationId}`,
    });
  });

  it('is accepted by the peer checking what the Messages API requires (auth, To, From, Body, a StatusCallback URL)', async () => {
    const strict = await startTwilioPeer(sid, 'secret-token');
    try {
      const strictAdapter = new TwilioSmsAdapter(
        providerConfig({ SMS_PROVIDERS: 'twilio', TWILIO_BASE_URL: strict.url, TWILIO_ACCOUNT_SID: sid, TWILIO_AUTH_TOKEN: 'secret-token', TWILIO_FROM: '+14155550199' }),
      );
      const result = await strictAdapter.send(sms);
      expect(result).toEqual({ outcome: 'sent', providerMessageId: strict.messages[0].sid });
      expect(strict.messages[0].params.StatusCallback).toBe(`https://herald.test/v1/webhooks/twilio?notificationId=${sms.notificationId}`);
      const wrongToken = new TwilioSmsAdapter(
        providerConfig({ SMS_PROVIDERS: 'twilio', TWILIO_BASE_URL: strict.url, TWILIO_ACCOUNT_SID: sid, TWILIO_AUTH_TOKEN: 'wrong', TWILIO_FROM: '+14155550199' }),
      );
      expect(await wrongToken.send(sms)).toMatchObject({ outcome: 'transient', code: 'twilio_20003' });
    } finally {
      await strict.close();
    }
  });

  it.each([
    [400, 21211, "The 'To' number is not a valid phone number."],
    [400, 21610, 'Attempt to send to unsubscribed recipient'],
  ])('HTTP %i with code %i is permanent', async (status, code, message) => {
    peer.respond = () => twilioError(status, code, message);
    expect(await adapter.send(sms)).toEqual({ outcome: 'permanent', code: `twilio_${code}`, message });
  });

  it('20429 (too many requests) is transient and honours Retry-After', async () => {
    peer.respond = () => ({ ...twilioError(429, 20429, 'Too Many Requests'), headers: { 'retry-after': '7' } });
    expect(await adapter.send(sms)).toEqual({ outcome: 'transient', code: 'twilio_20429', message: 'Too Many Requests', retryAfterMs: 7000 });
  });

  it('a 503 is transient', async () => {
    peer.respond = () => twilioError(503, 20500, 'Service unavailable');
    expect(await adapter.send(sms)).toMatchObject({ outcome: 'transient', code: 'twilio_20500' });
  });

  it('an unknown 4xx code is permanent', async () => {
    peer.respond = () => twilioError(400, 21602, 'Message body is required.');
    expect(await adapter.send(sms)).toMatchObject({ outcome: 'permanent', code: 'twilio_21602' });
  });

  it('no answer within the time limit after the request was sent is unknown, never transient', async () => {
    peer.stall();
    try {
      expect(await adapter.send(sms)).toMatchObject({ outcome: 'unknown', code: 'twilio_timeout' });
      expect(peer.received).toHaveLength(1);
    } finally {
      peer.resume();
    }
  });

  it('a refused connection is transient (nothing was sent)', async () => {
    const gone = await startTwilioPeer(sid);
    const goneUrl = gone.url;
    await gone.close();
    const closed = new TwilioSmsAdapter(
      providerConfig({ SMS_PROVIDERS: 'twilio', TWILIO_BASE_URL: goneUrl, TWILIO_ACCOUNT_SID: sid, TWILIO_AUTH_TOKEN: 't', TWILIO_FROM: '+14155550199' }),
    );
    expect(await closed.send(sms)).toMatchObject({ outcome: 'transient', code: 'twilio_unreachable' });
  });
});
