import { ADMIN_KEY, eventually, sleep, startHerald, type Herald } from '../support/herald-harness';
import { emailRequest } from '../factories/notification-requests';
import type { HttpPeer } from '../support/peers/http-peer';
import { sesError, startSesPeer } from '../support/peers/ses-peer';

describe('provider fallback: SES first, SMTP second, with a circuit breaker on each', () => {
  let herald: Herald;
  let ses: HttpPeer;
  const auth = { Authorization: `Bearer ${ADMIN_KEY}` };
  const cooldownMs = 1500;

  beforeAll(async () => {
    ses = await startSesPeer();
    herald = await startHerald({
      EMAIL_PROVIDERS: 'ses,smtp',
      SES_ENDPOINT: ses.url,
      PROVIDER_BREAKER_THRESHOLD: '2',
      PROVIDER_BREAKER_COOLDOWN: `${cooldownMs}ms`,
    });
  });
  afterAll(async () => {
    await herald.stop();
    await ses.close();
  });

  /** Sends one email and waits until it is sent; returns its attempts. */
  async function sendOne(): Promise<Array<{ provider: string; outcome: string }>> {
    const body = emailRequest();
    const res = await herald.http.post('/v1/notifications').set(auth).send(body).expect(202);
    const id = res.body.notifications[0].id;
    const view = await eventually(async () => {
      const r = await herald.http.get(`/v1/notifications/${id}`).set(auth).expect(200);
      return r.body.status === 'sent' ? r.body : undefined;
    }, 30_000, `notification ${id} sent`);
    expect(herald.smtp.accepted.filter((m) => m.to.includes(body.recipient.email)).length + (view.provider === 'ses' ? 1 : 0)).toBe(1);
    return view.attempts;
  }

  it('sends through SMTP while SES answers 503, stops calling SES once its circuit opens, and returns to SES after the cool-down', async () => {
    // When SES was called: an open circuit lets one trial call through per cool-down, and a loaded machine may take
    // longer than a cool-down between two sends.
    const calledAt: number[] = [];
    ses.respond = () => (calledAt.push(Date.now()), sesError(503, 'ServiceUnavailable', 'Service unavailable'));

    // Each 503 fails over to SMTP within the same attempt: one attempt, recorded as sent by smtp.
    for (let i = 0; i < 2; i++) {
      const attempts = await sendOne();
      expect(attempts).toHaveLength(1);
      expect(attempts[0]).toMatchObject({ provider: 'smtp', outcome: 'sent' });
    }
    expect(ses.received).toHaveLength(2);

    // The circuit is open: SES is not called, but for one trial call once a cool-down has passed since the last.
    for (let i = 0; i < 3; i++) expect((await sendOne())[0]).toMatchObject({ provider: 'smtp', outcome: 'sent' });
    const trials = calledAt.slice(2);
    expect(trials.length).toBeLessThanOrEqual(Math.floor((Date.now() - calledAt[1]) / cooldownMs));
    trials.forEach((at, i) => expect(at - calledAt[i + 1]).toBeGreaterThanOrEqual(cooldownMs - 50));
    expect(ses.received).toHaveLength(calledAt.length);

    // SES recovers; after the cool-down a trial call goes to SES and succeeds, and SES is primary again.
    ses.respond = () => ({ status: 200, body: { MessageId: 'ses-ok' } });
    await sleep(cooldownMs + 200);
    const before = ses.received.length;
    for (let i = 0; i < 2; i++) expect((await sendOne())[0]).toMatchObject({ provider: 'ses', outcome: 'sent' });
    expect(ses.received).toHaveLength(before + 2);
  });
});
