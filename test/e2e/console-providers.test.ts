import type { Locator } from 'playwright-core';
import { CreateApiKey } from '../../src/modules/access/application/create-api-key.use-case';
import { openConsole, signIn, startConsoleHerald, type ConsoleHerald, type ConsolePage } from '../support/console-browser';
import { ADMIN_KEY, eventually, type Herald } from '../support/herald-harness';
import { twilioError } from '../support/peers/twilio-peer';

const auth = { Authorization: `Bearer ${ADMIN_KEY}` };
const sid = 'AC00000000000000000000000000000031';

describe('the console providers, engagement and suppressions pages in Chromium, against a real Herald', () => {
  let setup: ConsoleHerald;
  let herald: Herald;
  let readerKey: string;
  const opened: ConsolePage[] = [];

  beforeAll(async () => {
    setup = await startConsoleHerald(sid, {
      PROVIDER_BREAKER_THRESHOLD: '2',
      PROVIDER_BREAKER_COOLDOWN: '1h',
      RETRY_SCHEDULE: '1h',
      TRACKING_SECRET: 'tracking-secret-0123456789',
      TRACKING_CATEGORIES: '*',
    });
    ({ herald } = setup);
    readerKey = (await herald.app.get(CreateApiKey).execute({ name: 'reader', scopes: ['notifications:read'] })).secret;
  });
  afterAll(() => setup?.stop());
  afterEach(async () => {
    for (const c of opened.splice(0)) {
      // Every page the test opened: no console error, no uncaught exception, no CSP violation, no key in a URL.
      expect(c.problems).toEqual([]);
      expect(c.requests.filter((url) => url.includes(ADMIN_KEY) || url.includes(readerKey))).toEqual([]);
      expect(c.requests.length).toBeGreaterThan(0);
      await c.context.close();
    }
  });

  async function open(key: string = ADMIN_KEY, viewport?: { width: number; height: number }): Promise<ConsolePage> {
    const c = await openConsole(setup.browser, setup.base, viewport);
    opened.push(c);
    await signIn(c.page, key);
    return c;
  }
  const statusOf = async (id: string) => (await herald.http.get(`/v1/notifications/${id}`).set(auth).expect(200)).body.status as string;
  const until = (id: string, status: string) => eventually(async () => ((await statusOf(id)) === status ? true : undefined), 30_000, `${id} ${status}`);
  const cells = async (row: Locator) => (await row.locator('th, td').allInnerTexts()).map((s) => s.trim());

  it('engagement: a chart and a table of the rates per day, with the figures of real sends, opens and a click', async () => {
    await herald.http.put('/v1/categories/c-digest').set(auth).send({ description: 'Digest', channelDefaults: { email: true } }).expect(200);
    const mails = [];
    for (const name of ['a', 'b', 'c']) {
      const body = {
        recipient: { userId: `c-eng-${name}`, email: `reader-${name}@example.com` },
        channels: ['email'],
        category: 'c-digest',
        content: { email: { subject: 'Digest', html: '<p>Hi, <a href="https://example.com/read">read on</a></p>' } },
      };
      const id = (await herald.http.post('/v1/notifications').set(auth).send(body).expect(202)).body.notifications[0].id as string;
      await until(id, 'sent');
      mails.push(herald.smtp.accepted.find((m) => m.headers['x-herald-notification-id'] === id)!);
    }
    // Two of them opened (the pixel), one of those clicked: the tracking routes, as a mail client calls them.
    const pixel = (html: string) => /src="https?:\/\/[^/]+(\/t\/o\/[^"]+)"/.exec(html)![1];
    const click = (html: string) => /href="https?:\/\/[^/]+(\/t\/c\/[^"]+)"/.exec(html)![1];
    await herald.http.get(pixel(mails[0].html)).expect(200);
    await herald.http.get(pixel(mails[1].html)).expect(200);
    await herald.http.get(click(mails[0].html)).expect(302);

    const { page } = await open();
    await page.getByRole('link', { name: 'Engagement' }).click();
    await page.getByRole('heading', { name: 'Engagement' }).waitFor();
    await page.getByLabel('Interval').selectOption('day');
    await page.getByLabel('Category').fill('c-digest');
    const asked = page.waitForRequest((r) => r.url().includes('/v1/analytics/engagement') && r.url().includes('category='));
    await page.getByRole('button', { name: 'Show' }).click();
    const query = new URL((await asked).url()).searchParams;
    expect(query.get('interval')).toBe('day');
    expect(query.get('category')).toBe('c-digest');

    // The table: the day of the sends has them; any other day of the window has none.
    const table = page.getByRole('table', { name: 'Figures per bucket' });
    await table.waitFor();
    const rows = table.locator('tbody tr');
    await eventually(async () => ((await rows.count()) > 0 ? true : undefined), 10_000, 'the table filled');
    const all = await Promise.all((await rows.all()).map(cells));
    const busy = all.filter((r) => r[1] !== '0');
    expect(busy).toHaveLength(1);
    // Accepted, sent, delivered (the opens prove it), opened, clicked, unsubscribed, bounced, then the five rates.
    expect(busy[0].slice(1)).toEqual(['3', '3', '2', '2', '1', '0', '0', '66.7%', '100%', '50%', '0%', '0%']);

    // The chart: an image named by its title, one line per rate, the delivery rate's point at two thirds of the scale.
    const chart = page.getByRole('img', { name: /Rates over time/ });
    await chart.waitFor();
    expect(await chart.locator('g[data-series] path').count()).toBeGreaterThan(0);
    const delivery = chart.locator('g[data-series="deliveryRate"] circle');
    expect(await delivery.count()).toBe(1);
    const [top, bottom] = await Promise.all([chart.locator('g.tick line').last(), chart.locator('g.tick line').first()].map((l) => l.getAttribute('y1')));
    const cy = Number(await delivery.getAttribute('cy'));
    expect((Number(bottom) - cy) / (Number(bottom) - Number(top))).toBeCloseTo(2 / 3, 2);
    expect(await page.locator('.legend li').allInnerTexts()).toEqual(['Delivery rate', 'Open rate', 'Click rate', 'Unsubscribe rate', 'Bounce rate']);

    // The API says the same for the same query.
    const api = (await herald.http.get('/v1/analytics/engagement').query(Object.fromEntries(query)).set(auth).expect(200)).body;
    const apiBusy = api.buckets.filter((b: { counts: { accepted: number } }) => b.counts.accepted > 0);
    expect(apiBusy).toEqual([expect.objectContaining({ counts: expect.objectContaining({ accepted: 3, sent: 3, delivered: 2, opened: 2, clicked: 1 }) })]);
    expect(apiBusy[0].rates).toMatchObject({ deliveryRate: 0.6667, openRate: 1, clickRate: 0.5 });
  });

  it('suppressions: adds an address, and removes it only through the confirmation; the API agrees each time', async () => {
    const address = 'c-supp@example.com';
    const listed = async () => (await herald.http.get('/v1/suppressions').query({ channel: 'email', address }).set(auth).expect(200)).body.items as Array<{ reason: string; source: string }>;
    const { page } = await open();
    await page.getByRole('link', { name: 'Suppressions' }).click();
    await page.getByRole('heading', { name: 'Suppressions', level: 1 }).waitFor();
    await page.getByLabel('Address', { exact: true }).fill(address);
    await page.getByLabel('Reason').fill('asked by the user');
    await page.getByRole('button', { name: 'Add' }).click();
    await page.getByRole('status').filter({ hasText: `${address} added` }).waitFor();
    const row = page.getByRole('row').filter({ hasText: address });
    await row.waitFor();
    expect(await cells(row)).toEqual(['email', address, 'asked by the user', 'api', expect.any(String), 'Remove']);
    expect(await listed()).toEqual([expect.objectContaining({ reason: 'asked by the user', source: 'api' })]);

    // Cancel leaves it listed.
    await page.getByRole('button', { name: `Remove ${address}` }).click();
    const dialog = page.getByRole('dialog', { name: 'Remove from the suppression list?' });
    await dialog.waitFor();
    expect(await dialog.innerText()).toContain(`Herald will send email to ${address} again`);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect(await listed()).toHaveLength(1);

    await page.getByRole('button', { name: `Remove ${address}` }).click();
    await dialog.getByRole('button', { name: 'Remove it' }).click();
    await page.getByRole('status').filter({ hasText: `${address} removed` }).waitFor();
    await row.waitFor({ state: 'detached' });
    expect(await listed()).toEqual([]);
  });

  it('suppressions are for admin keys: a read-only key has no link to them, and the page asks Herald nothing', async () => {
    const c = await open(readerKey);
    expect(await c.page.getByRole('link', { name: 'Suppressions' }).count()).toBe(0);
    await c.page.goto('/console/#/suppressions');
    await c.page.getByText('Suppressions need an API key with the admin scope.').waitFor();
    expect(c.requests.filter((url) => url.includes('/v1/suppressions'))).toEqual([]);
    // Providers and engagement need only notifications:read.
    await c.page.getByRole('link', { name: 'Providers' }).click();
    await c.page.getByRole('row').filter({ hasText: 'twilio' }).waitFor();
  });

  it('providers: each provider with its breaker state in words; the page refreshes on its own as Twilio fails and the breaker opens', async () => {
    const { page } = await open();
    await page.getByRole('link', { name: 'Providers' }).click();
    await page.getByRole('heading', { name: 'Providers' }).waitFor();
    const twilio = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'twilio' }) });
    await twilio.locator('.badge').filter({ hasText: 'Closed in 1 of 1 worker' }).waitFor();
    expect((await cells(twilio)).slice(0, 4)).toEqual(['sms', 'twilio', 'Closed in 1 of 1 worker', '0']);
    expect(await page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'smtp' }) }).count()).toBe(1);

    setup.twilio.respond = () => twilioError(503, 20500, 'Service unavailable');
    for (const phone of ['+14155550140', '+14155550141']) {
      await herald.http.post('/v1/notifications').set(auth).send({ recipient: { phone }, channels: ['sms'], content: { sms: { text: 'Code' } } }).expect(202);
    }
    // No reload: the page's own refresh shows the open breaker and the two failed attempts.
    await twilio.locator('.badge').filter({ hasText: 'Open in 1 of 1 worker' }).waitFor({ timeout: 30_000 });
    await eventually(async () => ((await cells(twilio))[3] === '2' ? true : undefined), 15_000, 'two attempts shown');
    const shown = await cells(twilio);
    expect(shown.slice(3, 9)).toEqual(['2', '0', '2', '0', '0', '100%']);
    expect(shown[9]).toMatch(/^\d+ ms$/);
    expect(shown[10]).toMatch(/^\d+ ms$/);
    const api = (await herald.http.get('/v1/providers/health').set(auth).expect(200)).body.providers.find((p: { provider: string }) => p.provider === 'twilio');
    expect(api).toMatchObject({ attempts: 2, transientFailures: 2, errorRate: 1, breaker: { state: 'open', open: 1 } });
  });

  it('the three pages fit a phone screen: only the tables scroll sideways', async () => {
    const { page } = await open(ADMIN_KEY, { width: 390, height: 844 });
    for (const [hash, heading, content] of [
      ['#/providers', 'Providers', 'table'],
      ['#/engagement', 'Engagement', 'svg.rate-chart'],
      ['#/suppressions', 'Suppressions', 'form'],
    ]) {
      await page.goto(`/console/${hash}`);
      await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
      await page.locator(content).first().waitFor();
      expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    }
  });
});
