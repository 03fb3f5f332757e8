import { signLink } from '../../src/domain/preferences/signed-link';
import { PAGE_CSP } from '../../src/infrastructure/http/security-headers';
import { ADMIN_KEY, LINK_SECRET, startHerald, type Herald } from '../support/herald-harness';

const auth = { Authorization: `Bearer ${ADMIN_KEY}` };

function expectPageHeaders(headers: Record<string, string>, hsts: boolean): void {
  expect(headers['content-security-policy']).toBe(PAGE_CSP);
  expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['referrer-policy']).toBe('no-referrer');
  expect(headers['x-powered-by']).toBeUndefined();
  if (hsts) expect(headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
  else expect(headers['strict-transport-security']).toBeUndefined();
}

describe('security headers of hosted pages and the API', () => {
  let herald: Herald;

  beforeAll(async () => {
    herald = await startHerald({ PUBLIC_URL: 'https://herald.example.com' });
  });
  afterAll(async () => {
    await herald.stop();
  });

  it('the preference page (shown, saved, refused) and the unsubscribe page send CSP, nosniff, Referrer-Policy and HSTS', async () => {
    const link = await herald.http.post('/v1/recipients/u-headers/preference-link').set(auth).expect(201);
    const url = new URL(link.body.url);
    const shown = await herald.http.get(url.pathname + url.search).expect(200);
    expect(shown.headers['content-type']).toContain('text/html');
    expectPageHeaders(shown.headers, true);
    expectPageHeaders((await herald.http.post('/v1/preference-page').type('form').send({ token: url.searchParams.get('token')! }).expect(200)).headers, true);
    expectPageHeaders((await herald.http.get('/v1/preference-page?token=nope.nope').expect(400)).headers, true);

    const token = signLink({ purpose: 'unsubscribe', userId: 'u-headers', address: null, category: 'marketing', channel: 'email' }, LINK_SECRET, new Date(Date.now() + 3_600_000));
    const unsubscribed = await herald.http.get(`/v1/unsubscribe?token=${token}`).expect(200);
    expect(unsubscribed.text).toContain('You are unsubscribed');
    expectPageHeaders(unsubscribed.headers, true);
  });

  it('API answers, errors and body-parser refusals carry them too, and never X-Powered-By', async () => {
    expectPageHeaders((await herald.http.get('/v1/recipients/u-nobody').set(auth).expect(404)).headers, true);
    expectPageHeaders((await herald.http.get('/v1/recipients/u-nobody').expect(401)).headers, true);
    expectPageHeaders((await herald.http.post('/v1/notifications').set(auth).set('Content-Type', 'application/json').send('{not json').expect(400)).headers, true);
    expectPageHeaders((await herald.http.get('/health/live')).headers, true);
  });

  it('Swagger UI keeps its scripts but may not be framed', async () => {
    const docs = await herald.http.get('/docs/').expect(200);
    expect(docs.headers['content-security-policy']).toBe("frame-ancestors 'none'");
    expect(docs.headers['x-content-type-options']).toBe('nosniff');
    expect(docs.headers['x-powered-by']).toBeUndefined();
  });
});

describe('security headers with an http PUBLIC_URL', () => {
  let herald: Herald;

  beforeAll(async () => {
    herald = await startHerald({ PUBLIC_URL: 'http://localhost:3000' });
  });
  afterAll(async () => {
    await herald.stop();
  });

  it('sends no HSTS (a browser would pin https on a host that does not serve it)', async () => {
    const link = await herald.http.post('/v1/recipients/u-plain/preference-link').set(auth).expect(201);
    const url = new URL(link.body.url);
    expectPageHeaders((await herald.http.get(url.pathname + url.search).expect(200)).headers, false);
  });
});
