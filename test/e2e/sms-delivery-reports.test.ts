import type { AddressInfo } from 'node:net';
import { ADMIN_KEY, eventually, startHerald, type Herald } from '../support/herald-harness';
import { startTwilioPeer, twilioError, type TwilioPeer } from '../support/peers/twilio-peer';
import { startVonagePeer, type VonagePeer } from '../support/peers/vonage-peer';

const auth = { Authorization: `Bearer ${ADMIN_KEY}` };
const sid = 'AC00000000000000000000000000000009';
const VONAGE_SIGNATURE = { signatureSecret: 'vonage-signature-secret', method: 'sha256' as const };

describe('SMS delivery reports: Twilio status callbacks, Vonage delivery receipts, fail-over from Twilio to Vonage', () => {
  let herald: Herald;
  let twilio: TwilioPeer;
  let vonage: VonagePeer;
  /** Where https://herald.example.com leads: this Herald's own listening address. */
  let via: string;

  beforeAll(async () => {
    [twilio, vonage] = await Promise.all([startTwilioPeer(sid, 'twilio-auth-token'), startVonagePeer('vonage-key', 'vonage-secret')]);
    herald = await startHerald({
      SMS_PROVIDERS: 'twilio,vonage',
      TWILIO_BASE_URL: twilio.url,
      TWILIO_ACCOUNT_SID: sid,
      TWILIO_AUTH_TOKEN: 'twilio-auth-token',
      TWILIO_FROM: '+14155550199',
      VONAGE_BASE_URL: vonage.url,
      VONAGE_API_KEY: 'vonage-key',
      VONAGE_API_SECRET: 'vonage-secret',
      VONAGE_FROM: 'Herald',
      VONAGE_SIGNATURE_SECRET: VONAGE_SIGNATURE.signatureSecret,
      VONAGE_SIGNATURE_METHOD: VONAGE_SIGNATURE.method,
      PUBLIC_URL: 'https://herald.example.com',
      // Every send in the fail-over test reaches Twilio first.
      PROVIDER_BREAKER_THRESHOLD: '1000',
    });
    await herald.app.listen(0, '127.0.0.1');
    via = `http://127.0.0.1:${(herald.app.getHttpServer().address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await herald.stop();
    await Promise.all([twilio.close(), vonage.close()]);
  });

  async function sendSms(phone: string, provider: string): Promise<string> {
    const res = await herald.http.post('/v1/notifications').set(auth).send({ recipient: { phone }, channels: ['sms'], content: { sms: { text: `Code for ${phone}` } } }).expect(202);
    const id = res.body.notifications[0].id as string;
    const view = await eventually(async () => {
      const r = await herald.http.get(`/v1/notifications/${id}`).set(auth).expect(200);
      return r.body.status === 'queued' || r.body.status === 'sending' ? undefined : r.body;
    }, 30_000, `notification ${id} sent`);
    expect(view).toMatchObject({ status: 'sent', provider });
    return id;
  }
  const view = async (id: string) => (await herald.http.get(`/v1/notifications/${id}`).set(auth).expect(200)).body;
  const storedEvents = async (id: string) => (await herald.db.query(`SELECT provider, event_id FROM delivery_events WHERE notification_id = $1`, [id])).rows;

  it('Twilio posts signed status callbacks to the StatusCallback URL it was given: sent, then delivered or undelivered (30003)', async () => {
    const delivered = await sendSms('+14155550110', 'twilio');
    const undelivered = await sendSms('+14155550111', 'twilio');
    const [m1, m2] = [delivered, undelivered].map((id) => twilio.messages.find((m) => m.params.StatusCallback?.endsWith(id))!);
    expect(m1.params.StatusCallback).toBe(`https://herald.example.com/v1/webhooks/twilio?notificationId=${delivered}`);
    expect(m1.params.To).toBe('+14155550110');

    for (const [message, final, errorCode] of [
      [m1, 'delivered', undefined],
      [m2, 'undelivered', 30003],
    ] as const) {
      const sent = await twilio.postStatus(message, 'sent', { via });
      expect(sent).toMatchObject({ status: 200, body: { recorded: 0, statusChanges: 0 } });
      const last = await twilio.postStatus(message, final, { via, errorCode });
      expect(last).toMatchObject({ status: 200, body: { recorded: 1, statusChanges: 1, unmatched: 0 } });
    }

    const one = await view(delivered);
    expect(one.status).toBe('delivered');
    expect(one.history.map((h: { to: string }) => h.to)).toEqual(['queued', 'sending', 'sent', 'delivered']);
    const two = await view(undelivered);
    expect(two.status).toBe('undelivered');
    expect(two.statusReason).toBe('twilio reported undelivered: error 30003');
    expect(two.history.at(-1)).toMatchObject({ from: 'sent', to: 'undelivered', reason: 'twilio reported undelivered: error 30003' });
  });

  it('refuses a Twilio callback with a bad signature with 401, and changes nothing', async () => {
    const id = await sendSms('+14155550112', 'twilio');
    const message = twilio.messages.find((m) => m.params.StatusCallback?.endsWith(id))!;
    const forged = await twilio.postStatus(message, 'undelivered', { via, errorCode: 30003, authToken: 'not-the-auth-token' });
    expect(forged).toMatchObject({ status: 401, body: { error: { code: 'invalid_webhook_signature' } } });
    expect((await view(id)).status).toBe('sent');
    expect(await storedEvents(id)).toEqual([]);
    // The genuine callback still goes through afterwards.
    expect(await twilio.postStatus(message, 'delivered', { via })).toMatchObject({ status: 200, body: { statusChanges: 1 } });
  });

  it('fails over to Vonage while Twilio answers 503; signed Vonage receipts settle delivered and failed', async () => {
    const original = twilio.respond;
    twilio.respond = () => twilioError(503, 20500, 'Service unavailable');
    try {
      const calls = twilio.received.length;
      const delivered = await sendSms('+447911123110', 'vonage');
      const failed = await sendSms('+447911123111', 'vonage');
      expect(twilio.received.length - calls).toBe(2);
      expect((await view(delivered)).attempts).toEqual([expect.objectContaining({ provider: 'vonage', outcome: 'sent' })]);

      const [m1, m2] = [delivered, failed].map((id) => vonage.messages.find((m) => m.params['client-ref'] === id)!);
      expect(m1.params).toEqual({
        api_key: 'vonage-key',
        api_secret: 'vonage-secret',
        from: 'Herald',
        to: '447911123110',
        text: 'Code for +447911123110',
        type: 'text',
        'client-ref': delivered,
        'status-report-req': '1',
        callback: 'https://herald.example.com/v1/webhooks/vonage',
      });

      expect(await vonage.postReceipt(m1, 'accepted', { via, ...VONAGE_SIGNATURE })).toMatchObject({ status: 200, body: { recorded: 0 } });
      expect(await vonage.postReceipt(m1, 'delivered', { via, ...VONAGE_SIGNATURE })).toMatchObject({ status: 200, body: { recorded: 1, statusChanges: 1 } });
      // The account's "POST-JSON" webhook method: the same parameters as a JSON object.
      expect(await vonage.postReceipt(m2, 'failed', { via, errCode: '2', json: true, ...VONAGE_SIGNATURE })).toMatchObject({ status: 200, body: { recorded: 1, statusChanges: 1 } });

      expect((await view(delivered)).status).toBe('delivered');
      const two = await view(failed);
      expect(two.status).toBe('undelivered');
      expect(two.statusReason).toBe('vonage reported undelivered: failed, err-code 2');
    } finally {
      twilio.respond = original;
    }
  });

  it('refuses Vonage receipts unsigned, signed with another secret or method, or replayed late, and changes nothing', async () => {
    const original = twilio.respond;
    twilio.respond = () => twilioError(503, 20500, 'Service unavailable');
    let id: string;
    try {
      id = await sendSms('+447911123112', 'vonage');
    } finally {
      twilio.respond = original;
    }
    const message = vonage.messages.find((m) => m.params['client-ref'] === id)!;
    for (const options of [{}, { ...VONAGE_SIGNATURE, signatureSecret: 'guessed' }, { ...VONAGE_SIGNATURE, method: 'md5hash' as const }, { ...VONAGE_SIGNATURE, timestampOffsetSeconds: -3600 }]) {
      const answer = await vonage.postReceipt(message, 'failed', { via, ...options });
      expect(answer).toMatchObject({ status: 401, body: { error: { code: 'invalid_webhook_signature' } } });
    }
    expect((await view(id)).status).toBe('sent');
    expect(await storedEvents(id)).toEqual([]);
  });
});
