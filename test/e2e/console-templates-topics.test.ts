import { CreateApiKey } from '../../src/modules/access/application/create-api-key.use-case';
import { openConsole, signIn, startConsoleHerald, type ConsoleHerald, type ConsolePage } from '../support/console-browser';
import { ADMIN_KEY, eventually, sleep, type Herald } from '../support/herald-harness';

const auth = { Authorization: `Bearer ${ADMIN_KEY}` };
const sid = 'AC00000000000000000000000000000013';
// One subscriber a batch, with a pause after each: a fan-out to a few runs for several seconds, long enough to be
// seen running in the browser before it is done.
const SLOW_FANOUT = { FANOUT_BATCH_SIZE: '1', FANOUT_BATCH_PAUSE: '1500ms', FANOUT_POLL_INTERVAL: '100ms' };

describe('the console templates and topics pages in Chromium, against a real Herald', () => {
  let setup: ConsoleHerald;
  let herald: Herald;
  let readerKey: string;
  const opened: ConsolePage[] = [];

  beforeAll(async () => {
    setup = await startConsoleHerald(sid, SLOW_FANOUT);
    herald = setup.herald;
    readerKey = (await herald.app.get(CreateApiKey).execute({ name: 'reader', scopes: ['notifications:read'] })).secret;
  });
  afterAll(() => setup?.stop());
  afterEach(async () => {
    for (const c of opened.splice(0)) {
      // Every page the test opened: no console error, no uncaught exception, no CSP violation.
      expect(c.problems).toEqual([]);
      expect(c.requests.filter((url) => url.includes(ADMIN_KEY) || url.includes(readerKey))).toEqual([]);
      await c.context.close();
    }
  });

  async function open(key: string = ADMIN_KEY, viewport?: { width: number; height: number }): Promise<ConsolePage> {
    const c = await openConsole(setup.browser, setup.base, viewport);
    opened.push(c);
    await signIn(c.page, key);
    return c;
  }

  const putTemplate = (key: string, locales: Record<string, unknown>, variables: string[] = []) =>
    herald.http.put(`/v1/templates/${key}`).set(auth).send({ description: `The ${key} template`, defaultLocale: 'en', variables, locales }).expect(200);

  it('lists the templates created through the API, pages through them, and finds them by key prefix', async () => {
    const bulk = Array.from({ length: 52 }, (_, i) => `ct-bulk-${String(i).padStart(2, '0')}`);
    for (const key of bulk) await putTemplate(key, { en: { sms: { text: `Text of ${key}` } } });
    await putTemplate('ct-order-paid', { en: { email: { subject: 'Paid', text: 'Thanks' } } });
    await putTemplate('ct-order-shipped', { en: { email: { subject: 'Shipped', text: 'On its way' } } });
    await putTemplate('ct-order-shipped', { en: { email: { subject: 'Shipped', text: 'On its way' }, sms: { text: 'Shipped' } }, fr: { push: { title: 'Expédiée', body: 'En route' } } });

    const { page } = await open(readerKey);
    await page.getByRole('link', { name: 'Templates' }).click();
    await page.getByRole('heading', { name: 'Templates' }).waitFor();
    const keys = () => page.locator('tbody tr td:first-child').allInnerTexts();
    await eventually(async () => ((await keys()).length === 50 ? true : undefined), 10_000, 'a first page of 50');
    const first = await keys();
    expect(first).toEqual([...first].sort());
    await page.getByRole('button', { name: 'Next page' }).click();
    await eventually(async () => ((await keys())[0] !== first[0] ? true : undefined), 10_000, 'the second page');
    const second = await keys();
    expect(second.filter((k) => first.includes(k))).toEqual([]);
    expect([...first, ...second].sort()).toEqual([...bulk, 'ct-order-paid', 'ct-order-shipped'].sort());
    expect(await page.getByRole('button', { name: 'Next page' }).count()).toBe(0);

    // Upper case is lower-cased: keys are.
    await page.getByRole('searchbox', { name: 'Key starts with' }).fill('CT-Order');
    await page.getByRole('button', { name: 'Search' }).click();
    await eventually(async () => ((await keys()).length === 2 ? true : undefined), 10_000, 'the two ct-order templates');
    expect(await keys()).toEqual(['ct-order-paid', 'ct-order-shipped']);
    const shipped = page.getByRole('row').filter({ has: page.getByRole('link', { name: 'ct-order-shipped' }) });
    expect((await shipped.locator('td').allInnerTexts()).slice(0, 5)).toEqual(['ct-order-shipped', '2', 'en', 'en, fr', 'email, sms, push']);

    await page.getByRole('searchbox', { name: 'Key starts with' }).fill('no-such-');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByText('No template matches.').waitFor();

    await page.getByRole('searchbox', { name: 'Key starts with' }).fill('ct-order-s');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('link', { name: 'ct-order-shipped' }).click();
    await page.getByRole('heading', { name: 'Template ct-order-shipped' }).waitFor();
    expect(page.url()).toContain('#/templates/ct-order-shipped');
  });

  it('shows a template version by version with its locales and a live preview, and the line diff of two versions', async () => {
    const html1 = '<h1>Hello {{name}}</h1>\n<p>Your order {{orderId}} has shipped.</p>\n<p>Thanks</p>';
    const html2 = '<h1>Hello {{name}}</h1>\n<p>Order {{orderId}} is on its way.</p>\n<p>Thanks</p>';
    await putTemplate('ct-diff', { en: { email: { subject: 'Order {{orderId}} shipped', html: html1 }, sms: { text: 'Shipped {{orderId}}' } } }, ['orderId', 'name']);
    await putTemplate(
      'ct-diff',
      { en: { email: { subject: 'Your order {{orderId}} is on its way', html: html2 }, sms: { text: 'Shipped {{orderId}}' } }, fr: { email: { subject: 'Commande {{orderId}} expédiée', text: 'En route' } } },
      ['orderId', 'name'],
    );

    const { page } = await open();
    await page.goto('/console/#/templates/ct-diff');
    await page.getByRole('heading', { name: 'Template ct-diff' }).waitFor();
    // (A select's name is its label and its chosen option.)
    const version = page.getByRole('combobox', { name: /^Version/ });
    await version.waitFor();
    expect(await version.locator('option').allInnerTexts()).toEqual(['2 (Latest)', '1']);
    const locales = page.locator('table').first();
    expect(await locales.locator('tbody tr').allInnerTexts()).toEqual(['en (default)\temail, sms', 'fr\temail']);

    // The live preview, with sample data typed in.
    await page.getByLabel('Sample data (JSON)').fill('{"orderId": "o-7", "name": "Ada"}');
    await page.getByText('Subject: Your order o-7 is on its way').waitFor();
    await eventually(async () => ((await page.getByTitle('Email preview').getAttribute('srcdoc'))?.includes('Hello Ada') ? true : undefined), 10_000, 'the email rendered');

    // Version 1 is shown, and previewed, when chosen.
    await version.selectOption('1');
    await page.getByText('Subject: Order o-7 shipped').waitFor();
    expect(await page.locator('table').first().locator('tbody tr').allInnerTexts()).toEqual(['en (default)\temail, sms']);

    // The diff: version 1 to version 2 by default.
    expect(await page.getByLabel('From version').inputValue()).toBe('1');
    expect(await page.getByLabel('To version').inputValue()).toBe('2');
    const subject = page.getByRole('region', { name: 'en · email · subject' });
    await subject.waitFor();
    const lines = subject.getByRole('list', { name: 'Changes to en · email · subject' }).getByRole('listitem');
    // Added and removed lines say so in text (a sign, and a label for screen readers), not by colour alone.
    expect(await lines.evaluateAll((items) => items.map((li) => li.textContent))).toEqual(['-Removed: Order {{orderId}} shipped', '+Added: Your order {{orderId}} is on its way']);
    expect(await subject.locator('.diff-sign').first().getAttribute('aria-hidden')).toBe('true');
    const body = page.getByRole('region', { name: 'en · email · html' }).getByRole('listitem');
    expect(await body.evaluateAll((items) => items.map((li) => li.textContent))).toEqual([
      ' Unchanged: <h1>Hello {{name}}</h1>',
      '-Removed: <p>Your order {{orderId}} has shipped.</p>',
      '+Added: <p>Order {{orderId}} is on its way.</p>',
      ' Unchanged: <p>Thanks</p>',
    ]);
    // A field only in the later version is all added; an unchanged one is not shown.
    const fr = page.getByRole('region', { name: 'fr · email · subject' });
    expect(await fr.innerText()).toContain('Only in version 2.');
    expect(await fr.getByRole('listitem').evaluateAll((items) => items.map((li) => li.textContent))).toEqual(['+Added: Commande {{orderId}} expédiée']);
    expect(await page.getByRole('region', { name: 'en · sms · text' }).count()).toBe(0);
    await page.getByText('4 fields differ, 4 are the same.').waitFor();

    // The other way round, removed and added swap; one version against itself has no difference.
    await page.getByLabel('From version').selectOption('2');
    await page.getByLabel('To version').selectOption('1');
    await eventually(
      async () => ((await lines.evaluateAll((items) => items.map((li) => li.textContent))).join('|') === '-Removed: Your order {{orderId}} is on its way|+Added: Order {{orderId}} shipped' ? true : undefined),
      10_000,
      'the reversed diff',
    );
    await page.getByLabel('To version').selectOption('2');
    await page.getByText('Versions 2 and 2 are the same.').waitFor();
  });

  it('lists topics with their subscriber counts, and pages through a topic\'s subscribers', async () => {
    const big = Array.from({ length: 55 }, (_, i) => `ct-big-${String(i).padStart(2, '0')}`);
    await herald.http.put('/v1/topics/ct-big').set(auth).send({ name: 'Many readers' }).expect(200);
    await herald.http.post('/v1/topics/ct-big/subscribers').set(auth).send({ userIds: big }).expect(200);
    await herald.http.put('/v1/topics/ct-empty').set(auth).send({ name: 'Nobody yet' }).expect(200);

    const { page } = await open(readerKey);
    await page.getByRole('link', { name: 'Topics' }).click();
    await page.getByRole('heading', { name: 'Topics' }).waitFor();
    const row = (key: string) => page.getByRole('row').filter({ has: page.getByRole('link', { name: key, exact: true }) });
    await row('ct-big').waitFor();
    expect((await row('ct-big').locator('td').allInnerTexts()).slice(0, 3)).toEqual(['ct-big', 'Many readers', '55']);
    expect((await row('ct-empty').locator('td').allInnerTexts()).slice(0, 3)).toEqual(['ct-empty', 'Nobody yet', '0']);

    await page.getByRole('link', { name: 'ct-big', exact: true }).click();
    await page.getByRole('heading', { name: 'Topic ct-big' }).waitFor();
    expect(await page.locator('.facts').innerText()).toMatch(/Subscribers\s+55/);
    await page.getByText('Nothing sent to this topic yet.').waitFor();
    const subscribers = page.getByRole('list', { name: 'Subscribers, in user id order' }).getByRole('listitem');
    await eventually(async () => ((await subscribers.count()) === 50 ? true : undefined), 10_000, 'the first 50 subscribers');
    const first = await subscribers.allInnerTexts();
    await page.getByRole('button', { name: 'Next subscribers' }).click();
    await eventually(async () => ((await subscribers.count()) === 5 ? true : undefined), 10_000, 'the last 5 subscribers');
    expect([...first, ...(await subscribers.allInnerTexts())]).toEqual(big);
    await page.getByRole('button', { name: 'First subscribers' }).click();
    await eventually(async () => ((await subscribers.count()) === 50 ? true : undefined), 10_000, 'the first page again');
  });

  it('follows a fan-out started through the API: its progress bar refreshes until done, and its notifications are all sent', async () => {
    const readers = Array.from({ length: 6 }, (_, i) => `ct-reader-${i}`);
    for (const userId of readers) await herald.http.put(`/v1/recipients/${userId}`).set(auth).send({ email: `${userId}@example.com` }).expect(200);
    await herald.http.put('/v1/topics/ct-readers').set(auth).send({ name: 'Console readers' }).expect(200);
    await herald.http.post('/v1/topics/ct-readers/subscribers').set(auth).send({ userIds: readers }).expect(200);

    const c = await open();
    const { page } = c;
    const started = await herald.http
      .post('/v1/topics/ct-readers/notifications')
      .set(auth)
      .send({ channels: ['email'], content: { email: { subject: 'A new issue', text: 'Out now' } } })
      .expect(202);
    const fanoutId = started.body.id as string;
    await page.goto('/console/#/topics/ct-readers');
    const bar = page.getByRole('progressbar');
    await bar.waitFor();
    const row = page.getByRole('row').filter({ has: bar });
    // Seen running first (one subscriber every 1.5 s), then done with no reload.
    const seen = [await row.innerText()];
    expect(seen[0]).toMatch(/[0-5] of 6 created · running/);
    expect(Number(await bar.getAttribute('max'))).toBe(6);
    await page.getByText('A fan-out is running: refreshed every 3 seconds.').waitFor();
    await eventually(
      async () => {
        const text = await row.innerText();
        if (seen[seen.length - 1] !== text) seen.push(text);
        return /6 of 6 created · done/.test(text) ? true : undefined;
      },
      30_000,
      'the fan-out done',
    );
    expect(await bar.getAttribute('value')).toBe('6');
    expect(await bar.getAttribute('aria-valuetext')).toMatch(/^6 of 6 created · done /);
    // Done, the page stops asking.
    const asked = () => c.requests.filter((url) => url.includes('/v1/fanouts?')).length;
    const before = asked();
    expect(before).toBeGreaterThanOrEqual(2);
    await sleep(4_000);
    expect(asked()).toBe(before);
    expect(await page.getByText('A fan-out is running: refreshed every 3 seconds.').count()).toBe(0);

    // Its notifications, in the activity feed filtered by the fan-out, in every status: all sent.
    await row.getByRole('link', { name: `Its notifications (fan-out ${fanoutId})` }).click();
    await page.getByRole('heading', { name: 'Activity' }).waitFor();
    expect(await page.getByLabel('Fan-out id').inputValue()).toBe(fanoutId);
    expect(await page.getByLabel('Status').inputValue()).toBe('');
    await eventually(
      async () => {
        const statuses = await page.locator('tbody tr .status').allInnerTexts();
        return statuses.length === 6 && statuses.every((s) => s === 'sent') ? true : undefined;
      },
      30_000,
      "the fan-out's 6 notifications sent",
    );
    expect(new Set(herald.smtp.accepted.filter((m) => m.to.some((to) => to.startsWith('ct-reader-'))).flatMap((m) => m.to)).size).toBe(6);
  });

  it('fits a phone screen: a template with its diff and a topic with its fan-out', async () => {
    const long = 'A long line of a template that a phone cannot show on one line, with {{name}} and more words after it';
    await putTemplate('ct-phone', { en: { email: { subject: 'Hi {{name}}', html: `<p>${long}</p>` } } }, ['name']);
    await putTemplate('ct-phone', { en: { email: { subject: 'Hello {{name}}', html: `<p>${long}, changed</p>` } } }, ['name']);
    await herald.http.post('/v1/topics/ct-phone/subscribers').set(auth).send({ userIds: ['ct-phone-reader'] }).expect(200);
    await herald.http.post('/v1/topics/ct-phone/notifications').set(auth).send({ channels: ['inapp'], content: { inapp: { title: 'Hi', body: 'Hello' } } }).expect(202);
    const { page } = await open(ADMIN_KEY, { width: 390, height: 844 });
    for (const [path, heading] of [
      ['#/templates/ct-phone', 'Template ct-phone'],
      ['#/topics/ct-phone', 'Topic ct-phone'],
      ['#/templates', 'Templates'],
      ['#/topics', 'Topics'],
    ]) {
      await page.goto(`/console/${path}`);
      await page.getByRole('heading', { name: heading, exact: true }).waitFor();
      await page.locator('table').first().waitFor();
      if (path === '#/templates/ct-phone') await page.getByRole('region', { name: 'en · email · html' }).waitFor();
      // Nothing wider than the screen but the tables, which scroll on their own.
      expect({ path, fits: Number(await page.evaluate('document.documentElement.scrollWidth')) <= 390 }).toEqual({ path, fits: true });
    }
  });
});
