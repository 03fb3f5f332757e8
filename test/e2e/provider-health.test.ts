import { CreateApiKey } from '../../src/modules/access/application/create-api-key.use-case';
import { ADMIN_KEY, eventually, startHerald, type Herald } from '../support/herald-harness';
import { startHeraldProcess, type HeraldProcess } from '../support/herald-process';
import type { Responder } from '../support/peers/http-peer';
import { startTwilioPeer, twilioError, twilioOnly, type TwilioPeer } from '../support/peers/twilio-peer';

const auth = { Authorization: `Bearer ${ADMIN_KEY}` };
const sid = 'AC00000000000000000000000000000021';

interface ProviderRow {
  channel: string;
  provider: string;
  configured: boolean;
  breaker: { state: string; open: number; halfOpen: number; closed: number; workers: Array<{ worker: string; state: string; since: string; heartbeatAt: string }> };
  attempts: number;
  sent: number;
  transientFailures: number;
  permanentFailures: number;
  unknown: number;
  errorRate: number | null;
  latencyMs: { p50: number | null; p95: number | null };
}

describe('provider health: GET /v1/providers/health over real worker processes', () => {
  let twilio: TwilioPeer;
  let healthy: Responder;
  let herald: Herald;
  let worker: string;
  const others: HeraldProcess[] = [];

  beforeAll(async () => {
    twilio = await startTwilioPeer(sid);
    healthy = twilio.respond;
    herald = await startHerald({
      ...twilioOnly(twilio, sid),
      PROVIDER_BREAKER_THRESHOLD: '2',
      PROVIDER_BREAKER_COOLDOWN: '1h',
      // An hour between heartbeats: any write the tests see before then is one made on a state change.
      PROVIDER_BREAKER_HEARTBEAT: '1h',
      RETRY_SCHEDULE: '1h',
    });
  });
  afterAll(async () => {
    for (const p of others) await p.kill();
    await herald?.stop();
    await twilio?.close();
  });

  const health = async (query: Record<string, string> = {}) => (await herald.http.get('/v1/providers/health').query(query).set(auth).expect(200)).body as { windowSeconds: number; providers: ProviderRow[] };
  const twilioRow = async () => (await health()).providers.find((p) => p.channel === 'sms' && p.provider === 'twilio')!;
  const rowsOf = async (w: string) => (await herald.db.query(`SELECT state, since, heartbeat_at FROM provider_breakers WHERE worker = $1 ORDER BY channel, provider`, [w])).rows;

  async function sms(phone: string): Promise<string> {
    const res = await herald.http.post('/v1/notifications').set(auth).send({ recipient: { phone }, channels: ['sms'], content: { sms: { text: 'Your code' } } }).expect(202);
    return res.body.notifications[0].id as string;
  }
  const statusOf = async (id: string) => (await herald.http.get(`/v1/notifications/${id}`).set(auth).expect(200)).body.status as string;

  it('lists every configured provider with its breaker as the worker reported it at start, and writes nothing per send', async () => {
    const row = await eventually(async () => {
      const r = await twilioRow();
      return r?.breaker.workers.length === 1 ? r : undefined;
    }, 15_000, 'the worker reported its breakers');
    expect(row).toMatchObject({ configured: true, breaker: { state: 'closed', open: 0, halfOpen: 0, closed: 1 }, attempts: 0, errorRate: null, latencyMs: { p50: null, p95: null } });
    worker = row.breaker.workers[0].worker;
    const providers = (await health()).providers.map((p) => `${p.channel}/${p.provider}`);
    expect(providers).toEqual(expect.arrayContaining(['email/smtp', 'sms/twilio', 'inapp/inbox']));
    expect(providers.indexOf('email/smtp')).toBeLessThan(providers.indexOf('sms/twilio'));

    const before = await rowsOf(worker);
    expect(before.length).toBeGreaterThanOrEqual(2);
    const ids = await Promise.all(['+14155550120', '+14155550121', '+14155550122', '+14155550123', '+14155550124'].map(sms));
    for (const id of ids) await eventually(async () => ((await statusOf(id)) === 'sent' ? true : undefined), 20_000, `${id} sent`);
    // Five sends, no state change: the rows are as the start wrote them.
    expect(await rowsOf(worker)).toEqual(before);

    const after = await twilioRow();
    expect(after).toMatchObject({ attempts: 5, sent: 5, transientFailures: 0, permanentFailures: 0, unknown: 0, errorRate: 0, breaker: { state: 'closed' } });
    expect(after.latencyMs.p50).toEqual(expect.any(Number));
    expect(after.latencyMs.p95!).toBeGreaterThanOrEqual(after.latencyMs.p50!);
  });

  it('a provider that fails opens the breaker in the worker, written at once, and the endpoint reports it open with the error rate', async () => {
    twilio.respond = () => twilioError(503, 20500, 'Service unavailable');
    await sms('+14155550130');
    await sms('+14155550131');
    const open = await eventually(async () => {
      const r = await twilioRow();
      // The breaker is written when it opens, before the worker commits the outcome of the attempt that opened it.
      return r.breaker.state === 'open' && r.transientFailures === 2 ? r : undefined;
    }, 30_000, 'the breaker reported open with both failures');
    expect(open).toMatchObject({ breaker: { state: 'open', open: 1, halfOpen: 0, closed: 0 }, attempts: 7, sent: 5, transientFailures: 2, errorRate: 0.2857 });
    expect(open.breaker.workers).toEqual([expect.objectContaining({ worker, state: 'open' })]);
    // Written when it opened, not at the next heartbeat (an hour away).
    const wroteAfterMs = Date.parse(open.breaker.workers[0].heartbeatAt) - Date.parse(open.breaker.workers[0].since);
    expect(wroteAfterMs).toBeGreaterThanOrEqual(0);
    expect(wroteAfterMs).toBeLessThan(5_000);
    // The same figures from a window of the last minute; anything but a duration of 1m to 24h is refused.
    expect((await health({ window: '1m' })).windowSeconds).toBe(60);
  });

  it('counts the breaker of each live worker process: open in 1 of 2, and a killed process is left out once its heartbeat is stale', async () => {
    twilio.respond = healthy;
    // A second worker process for SMS on the same database (its own queues: the first one's retries stay with it).
    const second = await startHeraldProcess({
      ...herald.env,
      HERALD_ROLES: 'worker:sms',
      SQS_QUEUE_PREFIX: `${herald.env.SQS_QUEUE_PREFIX}b-`,
      PROVIDER_BREAKER_HEARTBEAT: '500ms',
    });
    others.push(second);
    const both = await eventually(async () => {
      const r = await twilioRow();
      return r.breaker.workers.length === 2 ? r : undefined;
    }, 30_000, 'two workers reporting');
    expect(both.breaker).toMatchObject({ state: 'open', open: 1, halfOpen: 0, closed: 1 });
    const theOther = both.breaker.workers.find((w) => w.worker !== worker)!;
    expect(theOther.state).toBe('closed');

    // Killed: no goodbye. Its rows stay, and count no more once three heartbeats have passed without one.
    await second.kill();
    const alone = await eventually(async () => {
      const r = await twilioRow();
      return r.breaker.workers.length === 1 ? r : undefined;
    }, 15_000, 'the killed worker left out');
    expect(alone.breaker).toMatchObject({ state: 'open', open: 1, closed: 0, workers: [expect.objectContaining({ worker })] });
    expect((await rowsOf(theOther.worker)).length).toBeGreaterThan(0);
  }, 180_000);

  it('a worker that stops cleanly is removed at once, long before its reports would go stale', async () => {
    const third = await startHerald({ ...twilioOnly(twilio, sid), HERALD_ROLES: 'worker:sms', PROVIDER_BREAKER_HEARTBEAT: '1h' }, { database: herald.database });
    const seen = await eventually(async () => {
      const r = await twilioRow();
      return r.breaker.workers.length === 2 ? r : undefined;
    }, 15_000, 'the third worker reporting');
    expect(seen.breaker).toMatchObject({ state: 'open', open: 1, closed: 1 });
    const thirdId = seen.breaker.workers.find((w) => w.worker !== worker)!.worker;
    await third.stop({ keepDatabase: true });
    expect(await rowsOf(thirdId)).toEqual([]);
    expect((await twilioRow()).breaker.workers.map((w) => w.worker)).toEqual([worker]);
  });

  it('refuses a window that is not a duration of 1m to 24h with 400, and needs notifications:read', async () => {
    for (const window of ['15', 'soon', '30s', '2d', '25h']) {
      const res = await herald.http.get('/v1/providers/health').query({ window }).set(auth).expect(400);
      expect(res.body.error).toMatchObject({ code: 'validation_failed', details: [expect.objectContaining({ field: 'window' })] });
    }
    await herald.http.get('/v1/providers/health').expect(401);
    const create = herald.app.get(CreateApiKey);
    const writer = (await create.execute({ name: 'writer', scopes: ['notifications:write'] })).secret;
    const reader = (await create.execute({ name: 'reader', scopes: ['notifications:read'] })).secret;
    await herald.http.get('/v1/providers/health').set('Authorization', `Bearer ${writer}`).expect(403);
    await herald.http.get('/v1/providers/health').query({ window: '24h' }).set('Authorization', `Bearer ${reader}`).expect(200);
  });
});
