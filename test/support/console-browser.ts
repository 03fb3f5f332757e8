import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startHerald, type Herald } from './herald-harness';
import type { HttpPeer } from './peers/http-peer';
import { startTwilioPeer, twilioOnly } from './peers/twilio-peer';

/** Debian's Chromium (apt-get install chromium), headless, with nothing of its own talking to the network. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Serves the Herald of the harness on a free port; its base URL. */
export async function listen(herald: Herald): Promise<string> {
  await herald.app.listen(0, '127.0.0.1');
  return `http://127.0.0.1:${(herald.app.getHttpServer() as { address(): AddressInfo }).address().port}`;
}

export interface ConsolePage {
  context: BrowserContext;
  page: Page;
  /** Console errors, uncaught exceptions and CSP violations, in the order they happened. */
  problems: string[];
  /** The URL of every request the page made. */
  requests: string[];
}

/**
 * A fresh browser context and page that record console errors, uncaught exceptions, CSP violations and every
 * request; nothing is opened yet. `locale` is the browser's language (its Accept-Language).
 */
export async function newWatchedPage(browser: Browser, base: string, options: { viewport?: { width: number; height: number }; locale?: string } = {}): Promise<ConsolePage> {
  const context = await browser.newContext({ baseURL: base, viewport: options.viewport ?? { width: 1280, height: 800 }, locale: options.locale });
  return { context, ...(await watchedPage(context)) };
}

/** A new page of the context whose console errors, uncaught exceptions, CSP violations and requests are recorded. */
export async function watchedPage(context: BrowserContext): Promise<Omit<ConsolePage, 'context'>> {
  const problems: string[] = [];
  // Runs before the page's own script, in every frame: a refused load or inline style shows up here.
  // (A string: it runs in the browser, where this file's Node types do not apply.)
  await context.addInitScript("document.addEventListener('securitypolicyviolation', (e) => console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI))");
  const page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text());
  });
  page.on('pageerror', (err) => problems.push(`uncaught: ${err.message}`));
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  return { page, problems, requests };
}

export async function openConsole(browser: Browser, base: string, viewport = { width: 1280, height: 800 }): Promise<ConsolePage> {
  const opened = await newWatchedPage(browser, base, { viewport });
  await opened.page.goto('/console/');
  return opened;
}

export async function signIn(page: Page, apiKey: string): Promise<void> {
  await page.getByLabel('API key').fill(apiKey);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

/** Mail to bounce-…@ is refused with a permanent 550, as a real MTA refuses an unknown mailbox. */
export function refuseBounces(herald: Herald): void {
  herald.smtp.respond = (mail) => (mail.to.some((t) => t.startsWith('bounce-')) ? { code: 550, message: '5.1.1 mailbox unavailable' } : undefined);
}

export interface ConsoleHerald {
  herald: Herald;
  /** Sends SMS; stall() it and an SMS's outcome becomes unknown after a second. */
  twilio: HttpPeer;
  browser: Browser;
  base: string;
  stop(): Promise<void>;
}

/** A Herald on real parts listening on a free port, a Twilio peer for its SMS, and Chromium; `settings` override Herald's. */
export async function startConsoleHerald(accountSid: string, settings: Record<string, string> = {}): Promise<ConsoleHerald> {
  const twilio = await startTwilioPeer(accountSid);
  const herald = await startHerald({ ...twilioOnly(twilio, accountSid), PROVIDER_REQUEST_TIMEOUT: '1s', ...settings });
  refuseBounces(herald);
  const base = await listen(herald);
  const browser = await launchChromium();
  return {
    herald,
    twilio,
    browser,
    base,
    stop: async () => {
      await browser.close();
      twilio.resume();
      await herald.stop();
      await twilio.close();
    },
  };
}
