import { ADMIN_KEY, eventually, sleep, startHerald, type Herald } from '../support/herald-harness';
import type { HttpPeer } from '../support/peers/http-peer';
import { startSnsPeer } from '../support/peers/sns-peer';
import { startTwilioPeer } from '../support/peers/twilio-peer';

describe('an ambiguous outcome never fails over', () => {
  let herald: Herald;
  let twilio: HttpPeer;
  let sns: HttpPeer;
  const auth = { Authorization: `Bearer ${ADMIN_KEY}` };
  const sid = 'AC00000000000000000000000000000004';

  beforeAll(async () => {
    [twilio, sns] = await Promise.all([startTwilioPeer(sid), startSnsPeer()]);
    herald = await startHerald({
      SMS_PROVIDERS: 'twilio,sns',
      TWILIO_BASE_URL: twilio.url,
      TWILIO_ACCOUNT_SID: sid,
      TWILIO_AUTH_TOKEN: 'secret',
      TWILIO_FROM: '+14155550199',
      SNS_ENDPOINT: sns.url,
      PROVIDER_REQUEST_TIMEOUT: '1s',
    });
  });
  afterAll(async () => {
    twilio.resume();
    await herald.stop();
    await Promise.all([twilio.close(), sns.close()]);
  });

  it('a request Twilio received but never answered is recorded as unknown, and SNS is not asked to send it again', async () => {
    twilio.stall();
    const res = await herald.http.post('/v1/notifications').set(auth).send({ recipient: { phone: '+14155550100' }, channels: ['sms'], content: { sms: { text: 'Once only' } } }).expect(202);
    const id = res.body.notifications[0].id;
    const view = await eventually(async () => {
      const r = await herald.http.get(`/v1/notifications/${id}`).set(auth).expect(200);
      return r.body.status === 'unknown' ? r.body : undefined;
    }, 30_000, 'status unknown');
    expect(view.attempts).toEqual([expect.objectContaining({ provider: 'twilio', outcome: 'unknown', errorCode: 'twilio_timeout' })]);
    expect(twilio.received).toHaveLength(1);
    expect(sns.received).toHaveLength(0);
    // Reconciliation leaves it for an operator: SMS providers take no idempotency key, so it is not resent.
    await sleep(1000);
    expect((await herald.http.get(`/v1/notifications/${id}`).set(auth)).body.status).toBe('unknown');
    expect(sns.received).toHaveLength(0);
  });
});
