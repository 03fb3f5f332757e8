import { ADMIN_KEY, eventually, startHerald, type Herald } from '../support/herald-harness';
import { emailRequest } from '../factories/notification-requests';
import { startGreylistingSmtpPeer, type GreylistingSmtpPeer } from '../support/peers/greylisting-smtp-peer';
import type { HttpPeer } from '../support/peers/http-peer';
import { startTwilioPeer, twilioError, twilioOnly } from '../support/peers/twilio-peer';
import { parsePrometheusText, sampleValue } from '../support/prometheus-text';

const auth = { Authorization: `Bearer ${ADMIN_KEY}` };

interface NotificationView {
  id: string;
  status: string;
  attemptCount: number;
  attempts: Array<{ attemptNumber: number; outcome: string; errorCode: string | null }>;
  history: Array<{ from: string | null; to: string; reason: string | null }>;
}

async function accept(herald: Herald, body: ReturnType<typeof emailRequest>): Promise<string> {
  const res = await herald.http.post('/v1/notifications').set(auth).send(body).expect(202);
  return res.body.notifications[0].id as string;
}

async function view(herald: Herald, id: string): Promise<NotificationView> {
  return (await herald.http.get(`/v1/notifications/${id}`).set(auth).expect(200)).body as NotificationView;
}

async function whenSent(herald: Herald, id: string, timeoutMs: number): Promise<NotificationView> {
  return eventually(async () => {
    const v = await view(herald, id);
    if (v.status === 'failed') throw new Error(`notification ${id} failed: ${JSON.stringify(v.history)}`);
    return v.status === 'sent' ? v : undefined;
  }, timeoutMs, `notification ${id} sent`);
}

describe('circuit breaker: skipped sends keep their retries', () => {
  let herald: Herald;
  const cooldownMs = 10_000;

  beforeAll(async () => {
    herald = await startHerald({
      PROVIDER_BREAKER_THRESHOLD: '2',
      PROVIDER_BREAKER_COOLDOWN: `${cooldownMs}ms`,
      // One retry only: a skip that used one up would leave the next skip nothing but failure.
      RETRY_SCHEDULE: '200ms',
    });
  });
  afterAll(() => herald.stop());

  it('a notification skipped while the circuit is open is sent once the provider is back, with no attempt counted for the skips', async () => {
    // The server answers 421 (closing, about itself) to every message: a provider-level failure.
    let down = true;
    herald.smtp.respond = () => (down ? { code: 421, message: '4.3.2 Service shutting down, try again later' } : undefined);

    const first = [await accept(herald, emailRequest()), await accept(herald, emailRequest())];
    // Both were tried and refused: the circuit (threshold 2) is open.
    await eventually(() => (herald.smtp.received.length >= 2 ? true : undefined), 30_000, 'two refused sends');

    const skipped: string[] = [];
    for (let i = 0; i < 6; i++) skipped.push(await accept(herald, emailRequest()));
    // They are taken for sending and put back without calling the server, which still has only the first two.
    await eventually(
      async () => {
        const views = await Promise.all(skipped.map((id) => view(herald, id)));
        return views.every((v) => v.history.some((h) => h.from === 'sending' && h.to === 'queued')) ? true : undefined;
      },
      30_000,
      'every later notification held back by the open circuit',
    );
    expect(herald.smtp.received).toHaveLength(2);
    for (const id of skipped) {
      expect((await view(herald, id)).history.find((h) => h.from === 'sending' && h.to === 'queued')?.reason).toContain('the attempt is not counted');
    }
    down = false;

    const byId = new Map<string, number>();
    for (const id of [...first, ...skipped]) {
      const sent = await whenSent(herald, id, 90_000);
      // Every recorded attempt is a call the server received, and none is a skip.
      const calls = herald.smtp.received.filter((m) => m.headers['x-herald-notification-id'] === id).length;
      expect(sent.attempts.map((a) => a.errorCode)).not.toContain('no_provider_available');
      expect(sent.attemptCount).toBe(sent.attempts.length);
      expect(sent.attemptCount).toBe(calls);
      byId.set(id, sent.attemptCount);
    }
    // The later ones were never sent to a failing server: they were sent on their first counted attempt.
    for (const id of skipped) expect(byId.get(id)).toBe(1);
    // The first two failed once for real (421), and were sent on their one retry.
    for (const id of first) expect(byId.get(id)).toBe(2);
  });
});

describe('circuit breaker: greylisted recipients do not pause email', () => {
  let herald: Herald;
  let peer: GreylistingSmtpPeer;

  beforeAll(async () => {
    // Like a greylisting policy daemon: the first try for an address is refused, a later one accepted.
    peer = await startGreylistingSmtpPeer((address) => address.startsWith('grey-') && !peer.refused.includes(address));
    herald = await startHerald({
      SMTP_URL: peer.url,
      // Low threshold and a cool-down longer than the test: an open circuit would hold the other mail back.
      PROVIDER_BREAKER_THRESHOLD: '2',
      PROVIDER_BREAKER_COOLDOWN: '1h',
      RETRY_SCHEDULE: '200ms',
    });
  });
  afterAll(async () => {
    await herald.stop();
    await peer.close();
  });

  it('eight greylisted recipients in a row leave the circuit closed: other recipients get mail at once, and the greylisted ones on their retry', async () => {
    const grey: string[] = [];
    for (let i = 0; i < 8; i++) {
      const body = emailRequest();
      grey.push(await accept(herald, { ...body, recipient: { ...body.recipient, email: `grey-${i}-${body.recipient.email}` } }));
    }
    // Each has been taken for sending and put back (a refusal, or a skip if the circuit had opened).
    await eventually(
      async () => {
        const views = await Promise.all(grey.map((id) => view(herald, id)));
        return views.every((v) => v.history.some((h) => h.from === 'sending' && h.to === 'queued')) ? true : undefined;
      },
      30_000,
      'every greylisted notification tried once',
    );
    // The server was asked for all eight: none was held back by an open circuit.
    expect(new Set(peer.refused).size).toBe(8);

    for (let i = 0; i < 3; i++) {
      const body = emailRequest();
      const sent = await whenSent(herald, await accept(herald, body), 30_000);
      expect(sent.attemptCount).toBe(1);
      expect(peer.accepted).toContain(body.recipient.email);
    }

    for (const id of grey) {
      const sent = await whenSent(herald, id, 30_000);
      expect(sent.attempts.map((a) => [a.outcome, a.errorCode])).toEqual([
        ['transient_failure', 'smtp_450'],
        ['sent', null],
      ]);
    }
  });
});

describe('circuit breaker: its state is on /metrics', () => {
  let herald: Herald;
  let twilio: HttpPeer;
  const sid = 'AC00000000000000000000000000000007';

  beforeAll(async () => {
    twilio = await startTwilioPeer(sid);
    herald = await startHerald({
      HERALD_ROLES: 'api,relay,worker:sms',
      ...twilioOnly(twilio, sid),
      PROVIDER_BREAKER_THRESHOLD: '2',
      PROVIDER_BREAKER_COOLDOWN: '1s',
      RETRY_SCHEDULE: '200ms,200ms,200ms,200ms,200ms',
    });
  });
  afterAll(async () => {
    await herald.stop();
    await twilio.close();
  });

  async function breaker(): Promise<Record<string, number>> {
    const samples = parsePrometheusText((await herald.http.get('/metrics').expect(200)).text);
    const of = (state: string) => sampleValue(samples, 'herald_circuit_breaker_state', { channel: 'sms', provider: 'twilio', state });
    return { closed: of('closed'), open: of('open'), half_open: of('half_open') };
  }

  it('shows closed at start, open while Twilio answers 503, and closed again once it recovers', async () => {
    expect(await breaker()).toEqual({ closed: 1, open: 0, half_open: 0 });

    twilio.respond = () => twilioError(503, 20500, 'Service unavailable');
    const ids: string[] = [];
    for (const phone of ['+14155550110', '+14155550111']) {
      const res = await herald.http.post('/v1/notifications').set(auth).send({ recipient: { phone }, channels: ['sms'], content: { sms: { text: 'Code' } } }).expect(202);
      ids.push(res.body.notifications[0].id as string);
    }
    await eventually(async () => ((await breaker()).open === 1 ? true : undefined), 30_000, 'the breaker gauge at open');
    expect(await breaker()).toEqual({ closed: 0, open: 1, half_open: 0 });
    expect(twilio.received.length).toBeGreaterThanOrEqual(2);

    twilio.respond = () => ({ status: 201, body: { sid: `SM${'0'.repeat(32)}`, status: 'queued', account_sid: sid } });
    // The next retry after the cool-down is the trial call; it succeeds and closes the circuit.
    await eventually(async () => ((await breaker()).closed === 1 ? true : undefined), 30_000, 'the breaker gauge back at closed');
    expect(await breaker()).toEqual({ closed: 1, open: 0, half_open: 0 });
    for (const id of ids) expect((await whenSent(herald, id, 30_000)).status).toBe('sent');
  });
});
