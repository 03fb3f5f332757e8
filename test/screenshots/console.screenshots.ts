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
