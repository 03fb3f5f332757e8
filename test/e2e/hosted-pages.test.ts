import type { Browser, Response } from 'playwright-core';
import { signLink } from '../../src/domain/preferences/signed-link';
import { consoleStylesheetUrl } from '../../src/infrastructure/http/console-assets';
import { PAGE_CSP } from '../../src/infrastructure/http/security-headers';
import { launchChromium, listen, newWatchedPage, type ConsolePage } from '../support/console-browser';
import { ADMIN_KEY, LINK_SECRET, eventually, startHerald, type Herald } from '../support/herald-harness';

const auth = { Authorization: `Bearer ${ADMIN_KEY}` };
/** Set by the console's stylesheet only: the console's accent on a button, and the hosted pages' column. */
const ACCENT = 'rgb(11, 87, 208)';
const HOSTED_COLUMN = '736px';

/**
 * The hosted preference and unsubscribe pages in Chromium: in the recipient's language (their profile locale, then the
 * browser's), styled by the console's own stylesheet under the pages' CSP, and still doing their work.
 */
describe('the hosted pages in Chromium', () => {
  let herald: Herald;
  let browser: Browser;
  let base: string;
  let stylesheet: string;
  const opened: ConsolePage[] = [];

  beforeAll(async () => {
    const built = consoleStylesheetUrl();
    if (!built) throw new Error('the console is not built: run `npm run build:console` first (npm test does)');
    stylesheet = built;
    herald = await startHerald();
    base = await listen(herald);
    browser = await launchChromium();
    await herald.http.put('/v1/categories/marketing').set(auth).send({ description: 'News and offers', channelDefaults: { email: true } }).expect(200);
    await herald.http.put('/v1/categories/security').set(auth).send({ description: 'Security alerts', critical: true }).expect(200);
    await herald.http.put('/v1/recipients/u-de').set(auth).send({ email: 'de@example.com', locale: 'de' }).expect(200);
    await herald.http.put('/v1/recipients/u-none').set(auth).send({ email: 'none@example.com' }).expect(200);
  });
  afterAll(async () => {
    await browser?.close();
    await herald?.stop();
  });
  afterEach(async () => {
    for (const c of opened.splice(0)) {
      // No console error, no uncaught exception, no CSP violation on any page the test opened.
      expect(c.problems).toEqual([]);
      await c.context.close();
    }
  });

  /** A browser whose language is `locale`, watching what the page loads and whether the stylesheet arrived. */
  async function browse(locale: string, viewport?: { width: number; height: number }): Promise<ConsolePage & { sheets: Response[] }> {
    const c = await newWatchedPage(browser, base, { locale, viewport });
    opened.push(c);
    const sheets: Response[] = [];
    c.page.on('response', (r) => {
      if (r.request().resourceType() === 'stylesheet') sheets.push(r);
    });
    return { ...c, sheets };
  }

  async function preferenceLink(userId: string): Promise<string> {
    const link = await herald.http.post(`/v1/recipients/${userId}/preference-link`).set(auth).expect(201);
    const url = new URL(link.body.url as string);
    return url.pathname + url.search;
  }

  const unsubscribeLink = (userId: string, category: string) =>
    `/v1/unsubscribe?token=${signLink({ purpose: 'unsubscribe', userId, address: null, category, channel: 'email' }, LINK_SECRET, new Date(Date.now() + 3_600_000))}`;

  /** Served with the pages' CSP, no inline style or script, and styled by the console's stylesheet, which loaded. */
  async function expectConsoleLook(c: ConsolePage & { sheets: Response[] }, answer: Response | null): Promise<void> {
    expect(answer!.headers()['content-security-policy']).toBe(PAGE_CSP);
    const html = await answer!.text();
    expect(html).not.toMatch(/<script|<style|\sstyle=/i);
    expect(html).toContain(`<link rel="stylesheet" href="${stylesheet}">`);
    expect(c.sheets.map((r) => [new URL(r.url()).pathname, r.status()])).toEqual([[stylesheet, 200]]);
    expect(c.sheets[0].headers()['content-type']).toContain('text/css');
    expect(c.sheets[0].headers()['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(await c.page.evaluate("getComputedStyle(document.querySelector('main')).maxWidth")).toBe(HOSTED_COLUMN);
    expect(await c.page.evaluate("getComputedStyle(document.querySelector('main')).fontFamily")).toContain('system-ui');
  }

  it('shows the preference page of a recipient whose profile says de in German, whatever the browser asks for, and saves it', async () => {
    const c = await browse('en-US');
    const answer = await c.page.goto(await preferenceLink('u-de'));
    expect(answer!.status()).toBe(200);
    expect(answer!.headers()['content-language']).toBe('de');
    expect(await c.page.evaluate('document.documentElement.lang')).toBe('de');
    expect(await c.page.title()).toBe('Benachrichtigungseinstellungen');
    await c.page.getByRole('heading', { level: 1, name: 'Benachrichtigungseinstellungen' }).waitFor();
    await c.page.getByText('für u-de').waitFor();
    await c.page.getByRole('columnheader', { name: 'Kategorie' }).waitFor();
    await c.page.getByRole('columnheader', { name: 'E-Mail' }).waitFor();
    // Category names and descriptions as declared; the note on a critical one translated.
    await c.page.getByText('News and offers').waitFor();
    await c.page.getByText('(wird immer gesendet)').waitFor();
    expect(await c.page.getByRole('checkbox', { name: 'security per E-Mail' }).isDisabled()).toBe(true);
    await expectConsoleLook(c, answer);
    const save = c.page.getByRole('button', { name: 'Speichern' });
    expect(await c.page.evaluate("getComputedStyle(document.querySelector('button[type=submit]')).backgroundColor")).toBe(ACCENT);

    // Submitting: marketing by email off, SMS stopped.
    const marketing = c.page.getByRole('checkbox', { name: 'marketing per E-Mail' });
    expect(await marketing.isChecked()).toBe(true);
    await marketing.uncheck();
    await c.page.getByRole('checkbox', { name: 'Alles nicht Notwendige per SMS abbestellen' }).check();
    const [saved] = await Promise.all([c.page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/v1/preference-page'), save.click()]);
    expect(saved.status()).toBe(200);
    await c.page.getByRole('status').filter({ hasText: 'Gespeichert.' }).waitFor();
    expect(await c.page.evaluate('document.documentElement.lang')).toBe('de');
    expect(await c.page.getByRole('checkbox', { name: 'marketing per E-Mail' }).isChecked()).toBe(false);
    const prefs = await herald.http.get('/v1/recipients/u-de/preferences').set(auth).expect(200);
    expect(prefs.body.categories.marketing).toEqual({ email: false });
    expect(prefs.body.optedOutChannels).toEqual(['sms']);
  });

  it('shows the preference page of a recipient without a locale in English to a browser asking for French, and saves it', async () => {
    const c = await browse('fr-FR');
    const answer = await c.page.goto(await preferenceLink('u-none'));
    expect(answer!.request().headers()['accept-language']).toMatch(/^fr/);
    expect(answer!.status()).toBe(200);
    expect(answer!.headers()['content-language']).toBe('en');
    expect(await c.page.evaluate('document.documentElement.lang')).toBe('en');
    await c.page.getByRole('heading', { level: 1, name: 'Notification preferences' }).waitFor();
    await c.page.getByRole('columnheader', { name: 'Category' }).waitFor();
    await expectConsoleLook(c, answer);

    await c.page.getByRole('checkbox', { name: 'marketing by email' }).uncheck();
    await c.page.getByRole('button', { name: 'Save' }).click();
    await c.page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    expect((await herald.http.get('/v1/recipients/u-none/preferences').set(auth).expect(200)).body.categories.marketing).toEqual({ email: false });
  });

  it('shows the unsubscribe confirmation in German to a recipient whose profile says de, with a link to the page in German that shows the change', async () => {
    await herald.http.put('/v1/recipients/u-de-unsub').set(auth).send({ email: 'de-unsub@example.com', locale: 'de-AT' }).expect(200);
    const c = await browse('en-US');
    const answer = await c.page.goto(unsubscribeLink('u-de-unsub', 'marketing'));
    expect(answer!.status()).toBe(200);
    expect(await c.page.evaluate('document.documentElement.lang')).toBe('de');
    expect(await c.page.title()).toBe('Abgemeldet');
    await c.page.getByRole('heading', { level: 1, name: 'Sie sind abgemeldet' }).waitFor();
    await c.page.getByText('Sie erhalten keine Nachrichten der Kategorie „marketing“ per E-Mail mehr.').waitFor();
    await expectConsoleLook(c, answer);
    expect((await herald.http.get('/v1/recipients/u-de-unsub/preferences').set(auth).expect(200)).body.categories).toEqual({ marketing: { email: false } });

    // Its link goes to PUBLIC_URL, which this test does not serve: follow its path here.
    const manage = await c.page.getByRole('link', { name: 'Alle Einstellungen verwalten' }).getAttribute('href');
    const target = new URL(manage!);
    await c.page.goto(target.pathname + target.search);
    await c.page.getByRole('heading', { level: 1, name: 'Benachrichtigungseinstellungen' }).waitFor();
    expect(await c.page.getByRole('checkbox', { name: 'marketing per E-Mail' }).isChecked()).toBe(false);
  });

  it('shows the unsubscribe confirmation in English to a recipient without a locale whose browser asks for French', async () => {
    const c = await browse('fr-FR');
    const answer = await c.page.goto(unsubscribeLink('u-none', 'security-digest'));
    expect(answer!.status()).toBe(200);
    expect(await c.page.evaluate('document.documentElement.lang')).toBe('en');
    await c.page.getByRole('heading', { level: 1, name: 'You are unsubscribed' }).waitFor();
    await c.page.getByText('You will no longer receive "security-digest" messages by email.').waitFor();
    await c.page.getByRole('link', { name: 'Manage all your preferences' }).waitFor();
    await expectConsoleLook(c, answer);
  });

  it("answers a refused link in the browser's language when it has a catalogue, English otherwise", async () => {
    const german = await browse('de-CH');
    const refused = await german.page.goto('/v1/unsubscribe?token=nope.nope');
    expect(refused!.status()).toBe(400);
    expect(await german.page.evaluate('document.documentElement.lang')).toBe('de');
    await german.page.getByRole('heading', { level: 1, name: 'Dieser Link ist ungültig.' }).waitFor();
    await german.page.getByText('Es wurde nichts geändert.', { exact: false }).waitFor();
    await expectConsoleLook(german, refused);
    // Chromium reports the page's own status; nothing else went wrong.
    expect(german.problems.splice(0)).toEqual(['Failed to load resource: the server responded with a status of 400 (Bad Request)']);

    const expiredToken = signLink({ purpose: 'preferences', userId: 'u-de' }, LINK_SECRET, new Date(Date.now() - 1000));
    const french = await browse('fr-FR');
    const expired = await french.page.goto(`/v1/preference-page?token=${expiredToken}`);
    expect(expired!.status()).toBe(410);
    expect(await french.page.evaluate('document.documentElement.lang')).toBe('en');
    await french.page.getByRole('heading', { level: 1, name: 'This link has expired.' }).waitFor();
    await expectConsoleLook(french, expired);
    expect(french.problems.splice(0)).toEqual(['Failed to load resource: the server responded with a status of 410 (Gone)']);
  });

  it('fits a phone: the German preference page is no wider than 390 px (its table scrolls within itself)', async () => {
    const c = await browse('de-DE', { width: 390, height: 800 });
    const answer = await c.page.goto(await preferenceLink('u-de'));
    await expectConsoleLook(c, answer);
    expect(await c.page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await c.page.getByRole('button', { name: 'Speichern' }).click();
    await c.page.getByRole('status').filter({ hasText: 'Gespeichert.' }).waitFor();
  });

  it('refuses inline style on a hosted page (the watch for CSP violations sees it)', async () => {
    const c = await browse('en-US');
    await c.page.goto(await preferenceLink('u-none'));
    // page.evaluate itself is not bound by the page's CSP; the style element it adds is.
    await c.page.evaluate("(() => { const s = document.createElement('style'); s.textContent = 'main { max-width: 1px }'; document.head.append(s); })()");
    await eventually(() => (c.problems.some((p) => /^CSP violation: style-src/.test(p)) ? true : undefined), 5_000, 'the CSP violation to be reported');
    expect(await c.page.evaluate("getComputedStyle(document.querySelector('main')).maxWidth")).toBe(HOSTED_COLUMN);
    c.problems.length = 0;
  });
});
