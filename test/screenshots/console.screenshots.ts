import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { openConsole, signIn, startConsoleHerald, type ConsoleHerald } from '../support/console-browser';
import { ADMIN_KEY, eventually, type Herald } from '../support/herald-harness';

const OUT = join(__dirname, '..', '..', 'docs', 'console');
const auth = { Authorization: `Bearer ${ADMIN_KEY}` };
const sid = 'AC00000000000000000000000000000012';

describe('console screenshots', () => {
  let setup: ConsoleHerald;
  let herald: Herald;
  beforeAll(async () => {
    setup = await startConsoleHerald(sid);
    herald = setup.herald;
  });
  afterAll(() => setup?.stop());

  const send = async (body: object) => (await herald.http.post('/v1/notifications').set(auth).send(body).expect(202)).body.notifications[0].id as string;
  const until = (id: string, status: string) =>
    eventually(async () => ((await herald.http.get(`/v1/notifications/${id}`).set(auth)).body.status === status ? true : undefined), 30_000, status);
  const shot = (page: Page, name: string) => page.screenshot({ path: join(OUT, `${name}.png`), fullPage: true });

  it('writes one per main page', async () => {
    const failed: string[] = [];
    for (const user of ['ada', 'grace', 'linus']) {
      const id = await send({ recipient: { userId: user, email: `bounce-${user}@example.com` }, category: 'receipts', channels: ['email'], content: { email: { subject: 'Receipt', text: 'Thanks' } } });
      failed.push(id);
    }
    for (const id of failed) await until(id, 'failed');
    setup.twilio.stall();
    const unknown = await send({ recipient: { userId: 'ada', phone: '+14155550142' }, channels: ['sms'], content: { sms: { text: 'Your code is 123456' } } });
    await until(unknown, 'unknown');
    setup.twilio.resume();
    await herald.http
      .put('/v1/templates/order-shipped')
      .set(auth)
      .send({
        defaultLocale: 'en',
        variables: ['name', 'orderId'],
        locales: {
          en: { email: { subject: 'Order {{orderId}} shipped', html: '<h2 style="font-family:sans-serif">Hi {{name}}</h2><p style="font-family:sans-serif">Order <b>{{orderId}}</b> is on its way.</p>' }, sms: { text: 'Order {{orderId}} shipped' } },
        },
      })
      .expect(200);

    const { page, context } = await openConsole(setup.browser, setup.base);
    await shot(page, 'sign-in');
    await signIn(page, ADMIN_KEY);
    await page.getByLabel('Status').selectOption('failed');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByRole('link', { name: failed[0] }).waitFor();
    await shot(page, 'activity');
    await page.getByRole('link', { name: failed[0] }).click();
    await page.getByRole('article', { name: 'Attempt 1' }).waitFor();
    await shot(page, 'timeline');
    await page.goto('/console/#/failed');
    await page.getByLabel(`Select ${unknown}`).check();
    await page.getByRole('button', { name: 'Resend selected' }).click();
    await page.getByRole('dialog').waitFor();
    await shot(page, 'failed-and-unknown');
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.goto('/console/#/templates/order-shipped');
    await page.getByLabel('Sample data (JSON)').fill('{"name": "Ada", "orderId": "o-1042"}');
    await eventually(async () => ((await page.getByTitle('Email preview').getAttribute('srcdoc'))?.includes('o-1042') ? true : undefined), 10_000, 'preview');
    await shot(page, 'templates');
    await herald.http.put('/v1/recipients/ada').set(auth).send({ email: 'ada@example.com', locale: 'en-GB', timezone: 'Europe/London' }).expect(200);
    await herald.http.put('/v1/categories/receipts').set(auth).send({ description: 'Order receipts' }).expect(200);
    const email = await send({ recipient: { userId: 'ada' }, category: 'receipts', channels: ['email'], template: { key: 'order-shipped', data: { name: 'Ada', orderId: 'o-1042' } } });
    await send({ recipient: { userId: 'ada' }, category: 'receipts', channels: ['inapp'], content: { inapp: { title: 'Order o-1042 shipped', body: 'It is on its way.' } } });
    await until(email, 'sent');
    await page.goto(`/console/#/notifications/${email}`);
    await page.getByTitle('Email as sent').waitFor();
    await shot(page, 'content-as-sent');
    await page.goto('/console/#/recipients/ada');
    await page.getByText('Order o-1042 shipped').first().waitFor();
    await shot(page, 'recipient');
    await page.goto('/console/#/dead-letters');
    await page.getByRole('button', { name: 'Show' }).click();
    await page.getByText('No dead-lettered messages.').waitFor();
    await shot(page, 'dead-letters');
    await page.goto('/console/#/api-keys');
    await page.getByLabel('Name').fill('partner integration');
    await page.getByRole('checkbox', { name: /notifications:write/ }).check();
    await page.getByRole('button', { name: 'Create key' }).click();
    await page.getByLabel('Secret of the new key').waitFor();
    await shot(page, 'api-keys');
    await page.getByRole('button', { name: 'I have copied it' }).click();
    await herald.http
      .put('/v1/templates/order-shipped')
      .set(auth)
      .send({ defaultLocale: 'en', variables: ['name', 'orderId'], locales: { en: { email: { subject: 'Your order {{orderId}} is on its way', text: 'Hi {{name}}' } }, fr: { email: { subject: 'Commande {{orderId}} expédiée', text: 'Bonjour {{name}}' } } } })
      .expect(200);
    await page.goto('/console/#/audit-log');
    await page.getByRole('article').first().waitFor();
    await shot(page, 'audit-log');
    await context.close();

    const phone = await openConsole(setup.browser, setup.base, { width: 390, height: 844 });
    await signIn(phone.page, ADMIN_KEY);
    await phone.page.getByLabel('Status').selectOption('failed');
    await phone.page.getByRole('button', { name: 'Apply' }).click();
    await phone.page.getByRole('link', { name: failed[0] }).waitFor();
    await shot(phone.page, 'activity-phone');
    await phone.context.close();
  });
});

describe('console screenshots: providers, engagement, suppressions', () => {
  let setup: ConsoleHerald;
  let herald: Herald;
  beforeAll(async () => {
    setup = await startConsoleHerald('AC00000000000000000000000000000013', {
      PROVIDER_BREAKER_THRESHOLD: '2',
      PROVIDER_BREAKER_COOLDOWN: '1h',
      RETRY_SCHEDULE: '1h',
      TRACKING_SECRET: 'tracking-secret-0123456789',
    });
    herald = setup.herald;
  });
  afterAll(() => setup?.stop());

  const shot = (page: Page, name: string) => page.screenshot({ path: join(OUT, `${name}.png`), fullPage: true });

  it('writes the providers, engagement and suppressions pages', async () => {
    await herald.http.put('/v1/categories/newsletter').set(auth).send({ description: 'Newsletter', channelDefaults: { email: true } }).expect(200);
    const ids: string[] = [];
    for (let i = 0; i < 8; i++) {
      const body = { recipient: { email: `reader-${i}@example.com` }, channels: ['email'], category: 'newsletter', content: { email: { subject: 'News', html: '<p>News <a href="https://example.com/n">read</a></p>' } } };
      ids.push((await herald.http.post('/v1/notifications').set(auth).send(body).expect(202)).body.notifications[0].id as string);
    }
    await eventually(() => (herald.smtp.accepted.length >= 8 ? true : undefined), 30_000, 'eight mails');
    for (const [i, id] of ids.entries()) {
      const html = herald.smtp.accepted.find((m) => m.headers['x-herald-notification-id'] === id)!.html;
      if (i < 5) await herald.http.get(/src="https?:\/\/[^/]+(\/t\/o\/[^"]+)"/.exec(html)![1]);
      if (i < 2) await herald.http.get(/href="https?:\/\/[^/]+(\/t\/c\/[^"]+)"/.exec(html)![1]);
    }
    setup.twilio.respond = () => ({ status: 503, body: { code: 20500, message: 'Service unavailable', status: 503 } });
    for (const phone of ['+14155550150', '+14155550151']) {
      await herald.http.post('/v1/notifications').set(auth).send({ recipient: { phone }, channels: ['sms'], content: { sms: { text: 'Code' } } }).expect(202);
    }
    await eventually(async () => ((await herald.http.get('/v1/providers/health').set(auth)).body.providers.find((p: { provider: string }) => p.provider === 'twilio')?.breaker.state === 'open' ? true : undefined), 30_000, 'open');
    await herald.http.post('/v1/suppressions').set(auth).send({ channel: 'email', address: 'left@example.com', reason: 'asked by the user' }).expect(200);
    await herald.http.post('/v1/suppressions').set(auth).send({ channel: 'sms', address: '+14155550177' }).expect(200);

    const { page, context } = await openConsole(setup.browser, setup.base);
    await signIn(page, ADMIN_KEY);
    await page.goto('/console/#/providers');
    await page.getByText('Open in 1 of 1 worker').waitFor();
    await shot(page, 'providers');
    await page.goto('/console/#/engagement');
    await page.locator('svg.rate-chart').waitFor();
    await shot(page, 'engagement');
    await page.goto('/console/#/suppressions');
    await page.getByRole('row').filter({ hasText: 'left@example.com' }).waitFor();
    await shot(page, 'suppressions');
    await context.close();
  });
});
