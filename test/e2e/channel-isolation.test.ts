import { ADMIN_KEY, eventually, startHerald, type Herald } from '../support/herald-harness';
import { emailRequest } from '../factories/notification-requests';
import type { HttpPeer } from '../support/peers/http-peer';
import { startTwilioPeer, twilioOnly } from '../support/peers/twilio-peer';

describe('channel isolation: a stalled SMS provider does not hold up email', () => {
  let herald: Herald;
  let twilio: HttpPeer;
  const auth = { Authorization: `Bearer ${ADMIN_KEY}` };
  const sid = 'AC00000000000000000000000000000002';

  beforeAll(async () => {
    twilio = await startTwilioPeer(sid);
    herald = await startHerald({
      ...twilioOnly(twilio, sid),
      PROVIDER_REQUEST_TIMEOUT: '5m',
      DISPATCH_LEASE: '10m',
    });
  });
  afterAll(async () => {
    twilio.resume();
    await herald.stop();
    await twilio.close();
  });

  it('sends an email while a backlog of SMS waits on a provider that does not answer', async () => {
    twilio.stall();
    const sms = await herald.http
      .post('/v1/notifications/batch')
      .set(auth)
      .send({
        items: Array.from({ length: 20 }, (_, i) => ({
          recipient: { userId: `u-sms-${i}`, phone: `+1415555${String(1000 + i)}` },
          channels: ['sms'],
          content: { sms: { text: `Code ${i}` } },
        })),
      })
      .expect(202);
    const smsIds: string[] = sms.body.items.map((item: { notifications: Array<{ id: string }> }) => item.notifications[0].id);
    await eventually(() => (twilio.received.length > 0 ? true : undefined), 30_000, 'the SMS worker to be stuck on the provider');

    const email = emailRequest();
    const res = await herald.http.post('/v1/notifications').set(auth).send(email).expect(202);
    const emailId = res.body.notifications[0].id;
    await eventually(async () => ((await herald.http.get(`/v1/notifications/${emailId}`).set(auth)).body.status === 'sent' ? true : undefined), 30_000, 'email sent');
    expect(herald.smtp.accepted.filter((m) => m.to.includes(email.recipient.email))).toHaveLength(1);

    // Meanwhile not one SMS has been answered: the email did not wait behind them.
    const { rows } = await herald.db.query(`SELECT status, count(*)::int AS n FROM notifications WHERE id = ANY($1::uuid[]) GROUP BY status`, [smsIds]);
    expect(rows.find((r) => r.status === 'sent')).toBeUndefined();
    expect(rows.reduce((sum, r) => sum + r.n, 0)).toBe(20);

    // Once the provider answers, the backlog drains.
    twilio.resume();
    await eventually(async () => {
      const { rows: done } = await herald.db.query(`SELECT count(*)::int AS n FROM notifications WHERE id = ANY($1::uuid[]) AND status = 'sent'`, [smsIds]);
      return done[0].n === 20 ? true : undefined;
    }, 60_000, 'every SMS sent');
  });
});
