import { signLink } from '../../src/domain/preferences/signed-link';
import { JsonLogger } from '../../src/infrastructure/logging/json-logger';
import { trackingToken } from '../../src/infrastructure/tracking/tracking-links';
import { ADMIN_KEY, LINK_SECRET, startHerald, type Herald } from '../support/herald-harness';
import { LogCapture } from '../support/log-capture';

describe('info logs carry no address, phone number or link token from request paths', () => {
  let herald: Herald;
  const logs = new LogCapture();
  const auth = { Authorization: `Bearer ${ADMIN_KEY}` };

  beforeAll(async () => {
    herald = await startHerald({ LOG_LEVEL: 'info', TRACKING_SECRET: 'tracking-secret-0123456789' }, { logger: new JsonLogger('info', logs) });
  });
  afterAll(async () => {
    await herald.stop();
  });

  it('redacts them in the access log, and still logs each request', async () => {
    const email = 'private.person@example.com';
    const phone = '+14155550177';
    await herald.http.post('/v1/suppressions').set(auth).send({ channel: 'email', address: email, reason: 'manual' });
    await herald.http.delete(`/v1/suppressions/email/${email}`).set(auth);
    await herald.http.delete(`/v1/suppressions/email/${encodeURIComponent(email)}`).set(auth);
    await herald.http.delete(`/v1/suppressions/sms/${encodeURIComponent(phone)}`).set(auth);
    await herald.http.get(`/v1/recipients/${email}`).set(auth);
    const tracking = trackingToken('tracking-secret-0123456789', { n: '0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b', u: 'https://example.com/x' });
    await herald.http.get(`/t/c/${tracking}`);
    await herald.http.get(`/t/o/${tracking}.gif`);
    const unsubscribe = signLink({ purpose: 'unsubscribe', userId: 'u-log', address: null, category: 'marketing', channel: 'email' }, LINK_SECRET, new Date(Date.now() + 3_600_000));
    await herald.http.get(`/v1/unsubscribe?token=${unsubscribe}`);

    const everything = logs.raw.join('\n');
    for (const secret of [email, encodeURIComponent(email), phone, encodeURIComponent(phone), tracking, tracking.split('.')[1], unsubscribe]) {
      expect(everything).not.toContain(secret);
    }
    const paths = logs.raw.map((l) => JSON.parse(l) as { msg?: string; path?: string }).filter((l) => l.msg === 'http request').map((l) => l.path);
    expect(paths).toEqual(expect.arrayContaining(['/v1/suppressions/email/[address]', '/v1/suppressions/sms/[phone]', '/v1/recipients/[address]', '/t/c/[token]', '/t/o/[token]', '/v1/unsubscribe']));
  });
});
