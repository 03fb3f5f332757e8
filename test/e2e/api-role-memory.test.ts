import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { freePort, peakRssMb } from '../../bench/infra';
import { launchChromium, openConsole, signIn, type ConsolePage } from '../support/console-browser';
import { launchHerald, type LaunchedHerald } from '../support/herald-launcher';
import { createTestDatabase } from '../support/test-database';

const ROOT = join(__dirname, '..', '..');
const KEY = `hk_memory_test_${'m'.repeat(24)}`;
/** The budget of docs/console.md: an api process serving the API, the hosted pages and the console. */
const PEAK_RSS_LIMIT_MB = 300;

/**
 * The built service as its own process with the api role only, as deployed: every console page opened in Chromium
 * with an admin key, the hosted pages, and a burst of API calls; then the process's peak resident memory.
 */
describe('memory of the api role with the console served', () => {
  let db: { url: string; drop: () => Promise<void> };
  let herald: LaunchedHerald;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    for (const built of ['dist/src/main.js', 'dist/console/index.html']) {
      if (!existsSync(join(ROOT, built))) throw new Error(`${built} is missing: \`npm test\` builds it first (or run \`npm run build\`)`);
    }
    db = await createTestDatabase();
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    herald = await launchHerald({
      isolatedEnv: true,
      env: {
        HERALD_ROLES: 'api',
        HOST: '127.0.0.1',
        PORT: String(port),
        DATABASE_URL: db.url,
        AWS_REGION: process.env.AWS_REGION!,
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
        SQS_ENDPOINT: process.env.SQS_ENDPOINT!,
        SQS_CREATE_QUEUES: 'true',
        SQS_QUEUE_PREFIX: `mem${port}-`,
        HERALD_BOOTSTRAP_API_KEY: KEY,
        LINK_SIGNING_SECRET: 'memory-test-link-secret-0123456789',
        PUBLIC_URL: base,
        PUBLIC_URL_ALLOW_HTTP: 'true',
        LOG_LEVEL: 'warn',
      },
      ready: { url: `${base}/health/ready` },
      readyTimeoutMs: 60_000,
      name: 'the api process',
    });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await herald?.stop();
    await db?.drop();
  });

  async function api(method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { Authorization: `Bearer ${KEY}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, json: text.startsWith('{') || text.startsWith('[') ? JSON.parse(text) : text };
  }

  async function expectStatus(status: number, call: Promise<{ status: number; json: unknown }>): Promise<unknown> {
    const res = await call;
    if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${JSON.stringify(res.json)}`);
    return res.json;
  }

  it(`stays under ${PEAK_RSS_LIMIT_MB} MB peak RSS through every console page and a burst of API calls`, async () => {
    const welcome = { defaultLocale: 'en', variables: ['name'], locales: { en: { email: { subject: 'Welcome {{name}}', html: '<p>Hi {{name}}</p>' }, sms: { text: 'Hi {{name}}' } }, de: { email: { subject: 'Willkommen {{name}}', text: 'Hallo {{name}}' } } } };
    await expectStatus(200, api('PUT', '/v1/templates/welcome', welcome));
    await expectStatus(200, api('PUT', '/v1/categories/marketing', { description: 'News and offers', channelDefaults: { email: true } }));
    await expectStatus(200, api('PUT', '/v1/recipients/u-mem', { email: 'mem@example.com', locale: 'de' }));
    const sent = (await expectStatus(202, api('POST', '/v1/notifications', { recipient: { userId: 'u-mem' }, channels: ['email'], category: 'marketing', template: { key: 'welcome', data: { name: 'Ada' } } }))) as {
      notifications: Array<{ id: string }>;
    };
    const id = sent.notifications[0].id;

    // Every page of the console's navigation, a notification's timeline and a template's preview.
    const c: ConsolePage = await openConsole(browser, base);
    await signIn(c.page, KEY);
    const pages = await c.page.locator('header nav a').evaluateAll((links) => links.map((a) => a.getAttribute('href')!));
    expect(pages.length).toBeGreaterThanOrEqual(4);
    for (const hash of [...pages, `#/notifications/${id}`, '#/templates/welcome']) {
      await c.page.goto(`/console/${hash}`);
      await c.page.locator('main h1').first().waitFor();
      await c.page.waitForTimeout(300);
    }
    await c.page.getByLabel('Sample data (JSON)').fill('{"name": "Ada"}');
    await c.page.getByText('Subject: Welcome Ada').waitFor();
    // The hosted pages, which link the console's stylesheet.
    const link = (await expectStatus(201, api('POST', '/v1/recipients/u-mem/preference-link'))) as { url: string };
    await c.page.goto(link.url);
    await c.page.getByRole('button', { name: 'Speichern' }).click();
    await c.page.getByRole('status').waitFor();
    expect(c.problems).toEqual([]);
    await c.context.close();

    // A burst: 20 concurrent callers, 15 rounds, of the calls the console and an application make.
    const calls = [
      () => api('GET', '/v1/notifications?limit=100'),
      () => api('GET', `/v1/notifications/${id}`),
      () => api('POST', '/v1/templates/welcome/preview', { data: { name: 'Grace' } }),
      () => api('GET', '/v1/failed-notifications'),
      () => api('POST', '/v1/notifications/batch', { items: Array.from({ length: 50 }, (_, i) => ({ recipient: { email: `m${i}@example.com` }, channels: ['email'], content: { email: { subject: 's', text: 't' } } })) }),
      () => api('GET', '/v1/recipients/u-mem/preferences'),
      () => api('GET', '/v1/templates/welcome'),
    ];
    const refused: unknown[] = [];
    for (let round = 0; round < 15; round++) {
      const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => calls[(round + i) % calls.length]()));
      refused.push(...answers.filter((a) => a.status >= 300));
    }
    expect(refused).toEqual([]);

    const peak = peakRssMb(herald.child.pid);
    expect(peak).not.toBeNull();
    expect(peak!).toBeGreaterThan(50);
    expect(peak!).toBeLessThan(PEAK_RSS_LIMIT_MB);
  });
});
