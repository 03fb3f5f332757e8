import { GetQueueUrlCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { CONSOLE_CSP } from '../../src/infrastructure/http/security-headers';
import { CreateApiKey } from '../../src/modules/access/application/create-api-key.use-case';
import { openConsole, refuseBounces, signIn, startConsoleHerald, type ConsoleHerald, type ConsolePage } from '../support/console-browser';
import { ADMIN_KEY, eventually, startHerald, type Herald } from '../support/herald-harness';
import type { HttpPeer } from '../support/peers/http-peer';

const auth = { Authorization: `Bearer ${ADMIN_KEY}` };
const sid = 'AC00000000000000000000000000000011';

describe('the console in Chromium, against a real Herald', () => {
  let setup: ConsoleHerald;
  let herald: Herald;
  let twilio: HttpPeer;
  let readerKey: string;
  const opened: ConsolePage[] = [];

  beforeAll(async () => {
    setup = await startConsoleHerald(sid);
    ({ herald, twilio } = setup);
    readerKey = (await herald.app.get(CreateApiKey).execute({ name: 'reader', scopes: ['notifications:read'] })).secret;
  });
  afterAll(() => setup?.stop());
  afterEach(async () => {
    for (const c of opened.splice(0)) {
      // Every page the test opened: no console error, no uncaught exception, no CSP violation.
      expect(c.problems).toEqual([]);
      // The key travels in the Authorization header only, never in a URL.
      expect(c.requests.filter((url) => url.includes(ADMIN_KEY) || url.includes(readerKey))).toEqual([]);
      expect(c.requests.length).toBeGreaterThan(0);
      await c.context.close();
    }
  });

  async function open(key: string = ADMIN_KEY): Promise<ConsolePage> {
    const c = await openConsole(setup.browser, setup.base);
    opened.push(c);
    await signIn(c.page, key);
    return c;
  }

  async function send(body: object): Promise<string> {
    return (await herald.http.post('/v1/notifications').set(auth).send(body).expect(202)).body.notifications[0].id as string;
  }
  const statusOf = async (id: string) => (await herald.http.get(`/v1/notifications/${id}`).set(auth).expect(200)).body.status as string;
  const until = (id: string, status: string) => eventually(async () => ((await statusOf(id)) === status ? true : undefined), 30_000, `${id} ${status}`);

  async function failedEmail(): Promise<string> {
    const id = await send({ recipient: { userId: 'c-bounce', email: `bounce-${Date.now()}@example.com` }, channels: ['email'], content: { email: { subject: 'Refused', text: 'Will bounce' } } });
    await until(id, 'failed');
    return id;
  }

  async function unknownSms(): Promise<string> {
    twilio.stall();
    const id = await send({ recipient: { phone: '+14155550131' }, channels: ['sms'], content: { sms: { text: 'Your code' } } });
    await until(id, 'unknown');
    twilio.resume();
    return id;
  }

  it('is served by the api role with its CSP and cache headers, from files with no inline script', async () => {
    const index = await herald.http.get('/console/').expect(200);
    expect(index.headers['content-security-policy']).toBe(CONSOLE_CSP);
    expect(index.headers['cache-control']).toBe('no-cache');
    expect(index.text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    const script = /src="(\/console\/assets\/[^"]+\.js)"/.exec(index.text)![1];
    const asset = await herald.http.get(script).expect(200);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(asset.headers['content-type']).toContain('javascript');
  });

  it('signs in with a key held in sessionStorage only, shows a failed notification in the feed and its timeline with the attempt', async () => {
    const id = await failedEmail();
    const { page } = await open();
    expect(page.url()).not.toContain(ADMIN_KEY);
    expect(await page.evaluate("sessionStorage.getItem('herald.console.apiKey')")).toBe(ADMIN_KEY);
    expect(await page.evaluate('localStorage.length')).toBe(0);

    await page.getByLabel('Status').selectOption('failed');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByRole('link', { name: id }).click();
    await page.getByRole('heading', { name: `Notification ${id}` }).waitFor();
    const attempt = page.getByRole('article', { name: 'Attempt 1' });
    await attempt.waitFor();
    expect(await attempt.innerText()).toMatch(/smtp[\s\S]*permanent_failure[\s\S]*smtp_550[\s\S]*\d+ ms/);
    expect(await page.locator('.history').innerText()).toMatch(/queued[\s\S]*failed/);

    // A reload keeps the tab signed in, on the same page.
    await page.reload();
    await page.getByRole('article', { name: 'Attempt 1' }).waitFor();
  });

  it('refreshes the feed on its own, and pages through it by cursor', async () => {
    const { page } = await open();
    await page.getByLabel('Status').selectOption('failed');
    await page.getByLabel('Per page').selectOption('10');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.locator('tbody tr').first().waitFor();
    // Arrives after the page loaded: shown by the next refresh, with no click.
    const arrived = await failedEmail();
    await page.getByRole('link', { name: arrived }).waitFor({ timeout: 15_000 });

    await Promise.all(Array.from({ length: 10 }, () => failedEmail()));
    await eventually(async () => ((await page.locator('tbody tr').count()) === 10 ? true : undefined), 15_000, 'a full first page');
    const ids = () => page.locator('tbody td:first-child a').allInnerTexts();
    const first = await ids();
    await page.getByRole('button', { name: 'Older' }).click();
    await eventually(async () => ((await ids())[0] !== first[0] ? true : undefined), 10_000, 'the second page');
    const second = await ids();
    expect(second.length).toBeGreaterThan(0);
    expect(second.filter((id) => first.includes(id))).toEqual([]);
    await page.getByRole('button', { name: 'Newest' }).click();
    await eventually(async () => ((await ids())[0] === first[0] ? true : undefined), 10_000, 'the first page again');
  });

  it('works with the keyboard alone, and fits a phone screen', async () => {
    const c = await openConsole(setup.browser, setup.base, { width: 390, height: 844 });
    opened.push(c);
    const { page } = c;
    await page.getByLabel('API key').focus();
    await page.keyboard.type(ADMIN_KEY);
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    // Nothing wider than the screen but the tables, which scroll on their own.
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    // Signed in, the focus is on the page's content; back from there: sign out, then the navigation.
    const focused = () => page.evaluate('document.activeElement.id || document.activeElement.textContent');
    expect(await focused()).toBe('main');
    const back = ['Sign out', 'Audit log', 'API keys', 'Suppressions', 'Dead letters', 'Engagement', 'Providers', 'Recipients', 'Workflows', 'Topics', 'Templates', 'Failed and unknown'];
    for (const name of back) {
      await page.keyboard.press('Shift+Tab');
      expect(await focused()).toBe(name);
    }
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Failed and unknown' }).waitFor();
    // The page's content takes the focus, as after a page load.
    expect(await focused()).toBe('main');
  });

  it('the filter form sends every filter as a query parameter of GET /v1/notifications', async () => {
    await failedEmail();
    const c = await open();
    const { page } = c;
    await page.getByLabel('Status').selectOption('failed');
    await page.getByLabel('Channel').selectOption('email');
    await page.getByLabel('User id').fill('c-bounce');
    await page.getByLabel('Category').fill('receipts');
    await page.getByLabel('Created from').fill('2026-01-02T03:04');
    const asked = page.waitForRequest((r) => r.url().includes('userId='));
    await page.getByRole('button', { name: 'Apply' }).click();
    const query = new URL((await asked).url()).searchParams;
    expect(Object.fromEntries(query)).toEqual({ status: 'failed', channel: 'email', userId: 'c-bounce', category: 'receipts', createdFrom: new Date(2026, 0, 2, 3, 4).toISOString(), limit: '50' });
    // Herald filters on every one of them: nothing of user c-bounce is in category receipts, so the feed is empty.
    await page.getByText('No notifications match.').waitFor();
    expect(await page.getByRole('alert').count()).toBe(0);
    // Without the category, the user's failed email is listed.
    await page.getByLabel('Category').fill('');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByText('No notifications match.').waitFor({ state: 'detached' });
    expect(await page.getByRole('alert').count()).toBe(0);
  });

  it('redrives a failed notification, which is then sent', async () => {
    const id = await failedEmail();
    herald.smtp.respond = () => undefined;
    const { page } = await open();
    await page.getByRole('link', { name: 'Failed and unknown' }).click();
    await page.getByLabel(`Select ${id}`).check();
    await page.getByRole('button', { name: 'Redrive selected' }).click();
    await page.getByRole('status').filter({ hasText: '1 queued again.' }).waitFor();
    await until(id, 'sent');
    await page.goto(`/console/#/notifications/${id}`);
    await page.getByRole('article', { name: 'Attempt 2' }).filter({ hasText: 'sent' }).waitFor({ timeout: 15_000 });
    refuseBounces(herald);
  });

  it('resends an unknown notification only through the confirmation that names the duplicate risk', async () => {
    const id = await unknownSms();
    const received = twilio.received.length;
    const { page } = await open();
    await page.goto('/console/#/failed');
    await page.getByLabel(`Select ${id}`).check();
    await page.getByRole('button', { name: 'Resend selected' }).click();
    const dialog = page.getByRole('dialog', { name: 'Resend despite the duplicate risk?' });
    await dialog.waitFor();
    expect(await dialog.innerText()).toContain('Resending can deliver a duplicate');
    // Cancel leaves it unknown and asks Herald nothing.
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect(await statusOf(id)).toBe('unknown');
    await page.getByRole('button', { name: 'Resend selected' }).click();
    await dialog.getByRole('button', { name: 'Resend, I accept the duplicate risk' }).click();
    await page.getByRole('status').filter({ hasText: '1 sent again.' }).waitFor();
    await until(id, 'sent');
    expect(twilio.received.length).toBe(received + 1);
  });

  it('previews a template live with sample data, the email in a sandboxed frame', async () => {
    await herald.http
      .put('/v1/templates/c-welcome')
      .set(auth)
      .send({ defaultLocale: 'en', variables: ['name'], locales: { en: { email: { subject: 'Welcome {{name}}', html: '<p style="color:#333">Hi {{name}}</p>' }, sms: { text: 'Hi {{name}}' } } } })
      .expect(200);
    const { page } = await open();
    await page.getByRole('link', { name: 'Templates' }).click();
    await page.getByLabel('Key starts with').fill('c-welcome');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('link', { name: 'c-welcome' }).click();
    await page.getByLabel('Sample data (JSON)').fill('{"name": "Ada"}');
    const frame = page.getByTitle('Email preview');
    await eventually(async () => ((await frame.getAttribute('srcdoc'))?.includes('Hi Ada') ? true : undefined), 10_000, 'the preview rendered');
    expect(await frame.getAttribute('sandbox')).toBe('');
    expect(await page.frameLocator('iframe[title="Email preview"]').locator('p').innerText()).toBe('Hi Ada');
    expect(await page.getByRole('article', { name: 'sms' }).innerText()).toContain('Hi Ada');
    expect(await page.getByText('Subject: Welcome Ada').count()).toBe(1);
  });

  it('lists the dead letters of a channel with the notifications they name, and redrives them', async () => {
    const id = await send({ recipient: { email: 'c-dead@example.com' }, channels: ['email'], content: { email: { subject: 'Once', text: 'Sent once' } } });
    await until(id, 'sent');
    // A dead-lettered message naming it, as a worker that gave up on it would have left.
    const sqs = herald.app.get(SQSClient);
    const dlqUrl = (await sqs.send(new GetQueueUrlCommand({ QueueName: `${herald.env.SQS_QUEUE_PREFIX}email-dlq` }))).QueueUrl!;
    await sqs.send(new SendMessageCommand({ QueueUrl: dlqUrl, MessageBody: JSON.stringify({ notificationId: id, channel: 'email' }) }));

    const { page } = await open();
    await page.getByRole('link', { name: 'Dead letters' }).click();
    await page.getByLabel('Channel').selectOption('email');
    await page.getByRole('button', { name: 'Show' }).click();
    await page.getByRole('link', { name: id }).waitFor();
    await page.getByRole('button', { name: 'Redrive all shown' }).click();
    await page.getByRole('status').filter({ hasText: '1 message redriven.' }).waitFor();
    await page.getByText('No dead-lettered messages.').waitFor();
  });

  it('a read-only key sees the lists but no action, and a POST with it is refused with 403', async () => {
    await failedEmail();
    const self = await herald.http.get('/v1/api-keys/self').set({ Authorization: `Bearer ${readerKey}` }).expect(200);
    expect(self.body).toEqual({ id: expect.any(String), name: 'reader', scopes: ['notifications:read'] });
    const c = await open(readerKey);
    const { page } = c;
    await page.goto('/console/#/failed');
    await page.locator('tbody tr').first().waitFor();
    expect(await page.getByRole('button', { name: /Redrive|Resend/ }).count()).toBe(0);
    expect(await page.getByRole('checkbox').count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Dead letters' }).count()).toBe(0);
    const status = await page.evaluate(async (key) => {
      const res = await fetch('/v1/failed-notifications/redrive', { method: 'POST', headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ all: true }) });
      return res.status;
    }, readerKey);
    expect(status).toBe(403);
    expect(c.problems.splice(0)).toEqual([expect.stringContaining('status of 403')]);
  });
});

describe('the console outside the api role', () => {
  it('a worker-only process does not serve it', async () => {
    const herald = await startHerald({ HERALD_ROLES: 'worker:email' });
    try {
      await herald.http.get('/console/').expect(404);
    } finally {
      await herald.stop();
    }
  });
});
