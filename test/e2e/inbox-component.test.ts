import { createServer } from 'node:net';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { EXAMPLE_CATEGORY, startInboxExample, type InboxExample } from '../../src/local/inbox-example';
import { launchChromium, listen, watchedPage } from '../support/console-browser';
import { ADMIN_KEY, eventually, startHerald, type Herald } from '../support/herald-harness';
import type { HttpPeer } from '../support/peers/http-peer';
import { startPushService, userAgentKeys, vapidKeys } from '../support/peers/web-push-peer';

jest.setTimeout(120_000);

const SECRET = `inbox-token-secret-${'e'.repeat(32)}`;
const auth = { Authorization: `Bearer ${ADMIN_KEY}` };
/** Each test opens the example as a user of its own, on an origin of its own, all allowed by INBOX_ALLOWED_ORIGINS. */
const ORIGINS = 16;

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

interface ExamplePage {
  context: BrowserContext;
  page: Page;
  inbox: Locator;
  bell: Locator;
  /** Console errors, uncaught exceptions and CSP violations. */
  problems: string[];
  /** Console errors the test expects (Chromium's own notices), left out of the check. */
  expected: string[];
  requests: string[];
  example: InboxExample;
  userId: string;
}

describe('<herald-inbox> in Chromium: the example page on its own origin, against a real Herald', () => {
  let herald: Herald;
  let base: string;
  let browser: Browser;
  let pushService: HttpPeer;
  const ports: number[] = [];
  const opened: ExamplePage[] = [];
  let users = 0;

  beforeAll(async () => {
    for (let i = 0; i < ORIGINS; i++) ports.push(await freePort());
    pushService = await startPushService();
    const vapid = vapidKeys();
    herald = await startHerald({
      INBOX_TOKEN_SECRET: SECRET,
      INBOX_ALLOWED_ORIGINS: ports.map((p) => `http://127.0.0.1:${p}`).join(','),
      INBOX_SSE_HEARTBEAT: '1s',
      VAPID_PUBLIC_KEY: vapid.publicKey,
      VAPID_PRIVATE_KEY: vapid.privateKey,
      VAPID_SUBJECT: 'mailto:ops@herald.test',
    });
    base = await listen(herald);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await herald?.stop();
    await pushService?.close();
  });
  afterEach(async () => {
    for (const c of opened.splice(0)) {
      // No console error, no uncaught exception, no CSP violation on any page a test opened.
      expect(c.problems.filter((p) => !c.expected.includes(p))).toEqual([]);
      // The user token travels in the Authorization header only, never in a URL.
      expect(c.requests.filter((url) => url.includes('hut1.'))).toEqual([]);
      await c.context.close();
      await c.example.close();
    }
  });

  /** The example application, signed in as a new user, in a new browser context. */
  async function openExample(options: { query?: string; before?: (userId: string) => Promise<void>; permissions?: string[] } = {}): Promise<ExamplePage> {
    const port = ports[users];
    const userId = `u-component-${++users}`;
    await options.before?.(userId);
    const example = await startInboxExample({ heraldUrl: base, apiKey: ADMIN_KEY, tokenSecret: SECRET, userId, port });
    const context = await browser.newContext({ baseURL: example.url, viewport: { width: 1280, height: 800 } });
    if (options.permissions) await context.grantPermissions(options.permissions, { origin: example.url });
    const watched = await watchedPage(context);
    const c: ExamplePage = { context, ...watched, expected: [], example, userId, inbox: watched.page.locator('herald-inbox'), bell: watched.page.locator('herald-inbox .bell') };
    opened.push(c);
    await watched.page.goto(`/${options.query ?? ''}`);
    return c;
  }

  async function send(userId: string, title: string, actionUrl?: string): Promise<string> {
    const res = await herald.http
      .post('/v1/notifications')
      .set(auth)
      .send({ recipient: { userId }, channels: ['inapp'], category: EXAMPLE_CATEGORY, content: { inapp: { title, body: `${title}: the body`, ...(actionUrl ? { actionUrl } : {}) } } })
      .expect(202);
    return res.body.notifications[0].id as string;
  }

  interface ApiItem {
    id: string;
    title: string;
    readAt: string | null;
    archivedAt: string | null;
  }
  /** The user's inbox as the API-key route reads it, archived items included. */
  async function stored(userId: string): Promise<ApiItem[]> {
    return (await herald.http.get(`/v1/users/${userId}/inbox?includeArchived=true&limit=100`).set(auth).expect(200)).body.items as ApiItem[];
  }
  const storedCount = (userId: string, n: number) => eventually(async () => ((await stored(userId)).length === n ? true : undefined), 30_000, `${n} items of ${userId}`);

  const titles = (c: ExamplePage) => c.page.locator('herald-inbox .item-title').allTextContents();
  /** Titles of the user's unarchived items in Herald's order (newest first by sequence), marked as the element marks them. */
  async function inHeraldOrder(userId: string): Promise<string[]> {
    const { rows } = await herald.db.query(`SELECT title, read_at FROM inbox_items WHERE user_id = $1 AND archived_at IS NULL ORDER BY sequence DESC`, [userId]);
    return rows.map((r: { title: string; read_at: Date | null }) => (r.read_at ? r.title : `Unread: ${r.title}`));
  }
  const liveRegion = (c: ExamplePage) => c.page.locator('herald-inbox [aria-live="polite"]');
  const item = (c: ExamplePage, title: string) => c.page.locator('herald-inbox .item').filter({ hasText: title });
  const live = (c: ExamplePage) => c.page.locator('herald-inbox[connection="open"]').waitFor({ timeout: 30_000 });
  /** The bell's accessible name and the badge's text, read at one moment. */
  function badge(c: ExamplePage): Promise<{ name: string | null; badge: string | null }> {
    return c.page.evaluate(
      "(() => { const root = document.querySelector('herald-inbox').shadowRoot; const badge = root.querySelector('.badge'); return { name: root.querySelector('.bell').getAttribute('aria-label'), badge: badge ? badge.textContent : null }; })()",
    );
  }
  const badgeIs = (c: ExamplePage, expected: { name: string; badge: string | null }) =>
    eventually(async () => (JSON.stringify(await badge(c)) === JSON.stringify(expected) ? true : undefined), 15_000, `the badge ${JSON.stringify(expected)}`);
  /** What the example page logged of the element's events. */
  const logged = (c: ExamplePage) => c.page.locator('#events li').allInnerTexts();

  it('shows the unread count of the user on the bell, reading Herald from another origin', async () => {
    const c = await openExample({
      before: async (userId) => {
        for (const title of ['First', 'Second', 'Third']) await send(userId, title);
        await storedCount(userId, 3);
        const first = (await stored(userId)).find((i) => i.title === 'First')!;
        await herald.http.post(`/v1/users/${userId}/inbox/${first.id}/read`).set(auth).expect(204);
      },
    });
    await badgeIs(c, { name: 'Notifications, 2 unread', badge: '2' });
    await c.bell.click();
    await c.page.getByRole('dialog', { name: 'Notifications' }).waitFor();
    expect((await titles(c)).sort()).toEqual(['First', 'Unread: Second', 'Unread: Third']);
    expect(await titles(c)).toEqual(await inHeraldOrder(c.userId));
    expect(await c.page.locator('herald-inbox time').first().innerText()).toBe('now');
    // The page's origin is not Herald's: every inbox call went across, to Herald.
    expect(new URL(c.example.url).origin).not.toBe(new URL(base).origin);
    expect(c.requests.some((url) => url.startsWith(`${base}/v1/inbox/items?`))).toBe(true);
    expect(c.requests.some((url) => url.startsWith(`${base}/v1/inbox/counts`))).toBe(true);
  });

  it('shows a notification sent through POST /v1/notifications at once, without a reload, and announces it', async () => {
    const c = await openExample();
    await live(c);
    await badgeIs(c, { name: 'Notifications', badge: null });
    await c.bell.click();
    await c.page.locator('herald-inbox .empty').waitFor();
    expect(await c.page.locator('herald-inbox .empty').innerText()).toBe('No notifications yet.');

    await send(c.userId, 'Your order shipped', 'https://shop.example.com/orders/o-1');
    await item(c, 'Your order shipped').waitFor({ timeout: 30_000 });
    await eventually(async () => ((await liveRegion(c).innerText()) === 'New notification: Your order shipped' ? true : undefined), 10_000, 'the announcement');
    await badgeIs(c, { name: 'Notifications, 1 unread', badge: '1' });
    expect(await logged(c)).toContain('herald-inbox:item Your order shipped');
    const link = item(c, 'Your order shipped').getByRole('link', { name: 'Open' });
    expect(await link.getAttribute('href')).toBe('https://shop.example.com/orders/o-1');
    // The popover was open: the item was seen on arrival.
    await eventually(async () => ((await herald.db.query(`SELECT seen_at FROM inbox_items WHERE user_id = $1`, [c.userId])).rows[0]?.seen_at ? true : undefined), 10_000, 'seen');

    // The button sends through the example's backend, as an application would.
    await c.page.getByRole('button', { name: 'Send a test notification' }).click();
    await c.page.getByText('Sent: watch the bell.').waitFor();
    // A click outside closed the popover; the bell shows the new count, and the popover the item.
    expect(await c.page.getByRole('dialog').count()).toBe(0);
    await badgeIs(c, { name: 'Notifications, 2 unread', badge: '2' });
    await c.bell.click();
    await item(c, 'Test notification 1').waitFor({ timeout: 30_000 });
    await eventually(async () => ((await liveRegion(c).innerText()) === 'New notification: Test notification 1' ? true : undefined), 10_000, 'the second announcement');
    expect(await titles(c)).toEqual(['Unread: Test notification 1', 'Unread: Your order shipped']);
  });

  it('marks one read and unread, all read, and archives: the badge and Herald agree', async () => {
    const c = await openExample({
      before: async (userId) => {
        for (const title of ['Alpha', 'Bravo', 'Charlie']) await send(userId, title);
        await storedCount(userId, 3);
      },
    });
    await live(c);
    await badgeIs(c, { name: 'Notifications, 3 unread', badge: '3' });
    await c.bell.click();
    const readAt = async (title: string) => (await stored(c.userId)).find((i) => i.title === title)!.readAt;

    await item(c, 'Bravo').getByRole('button', { name: 'Mark as read' }).click();
    await badgeIs(c, { name: 'Notifications, 2 unread', badge: '2' });
    await eventually(async () => ((await readAt('Bravo')) ? true : undefined), 10_000, 'Bravo read in Herald');
    expect(await logged(c)).toContain('herald-inbox:read Bravo');
    await item(c, 'Bravo').getByRole('button', { name: 'Mark as unread' }).click();
    await badgeIs(c, { name: 'Notifications, 3 unread', badge: '3' });
    await eventually(async () => ((await readAt('Bravo')) === null ? true : undefined), 10_000, 'Bravo unread in Herald');

    await c.page.getByRole('button', { name: 'Mark all as read' }).click();
    await badgeIs(c, { name: 'Notifications', badge: null });
    await eventually(async () => ((await stored(c.userId)).every((i) => i.readAt) ? true : undefined), 10_000, 'all read in Herald');
    expect(await titles(c)).toEqual(await inHeraldOrder(c.userId));
    expect((await titles(c)).sort()).toEqual(['Alpha', 'Bravo', 'Charlie']);
    expect(await c.page.getByRole('button', { name: 'Mark all as read' }).isDisabled()).toBe(true);

    const bravoAt = (await titles(c)).indexOf('Bravo');
    await item(c, 'Bravo').getByRole('button', { name: 'Archive' }).click();
    await eventually(async () => ((await titles(c)).includes('Bravo') ? undefined : true), 10_000, 'Bravo gone from the list');
    expect(await titles(c)).toEqual(await inHeraldOrder(c.userId));
    expect((await titles(c)).sort()).toEqual(['Alpha', 'Charlie']);
    await eventually(async () => ((await stored(c.userId)).find((i) => i.title === 'Bravo')!.archivedAt ? true : undefined), 10_000, 'Bravo archived in Herald');
    // Focus stayed in the list, on the item that took its place.
    const tookItsPlace = (await titles(c))[Math.min(bravoAt, 1)];
    expect(await c.page.evaluate("document.querySelector('herald-inbox').shadowRoot.activeElement.closest('.item').querySelector('.item-title').textContent")).toBe(tookItsPlace);

    // A new unread item, then its read mark from another client (the API): the stream brings the count.
    await send(c.userId, 'Delta');
    await badgeIs(c, { name: 'Notifications, 1 unread', badge: '1' });
    const delta = await eventually(async () => (await stored(c.userId)).find((i) => i.title === 'Delta'), 10_000, 'Delta');
    await herald.http.post(`/v1/users/${c.userId}/inbox/${delta.id}/read`).set(auth).expect(204);
    await badgeIs(c, { name: 'Notifications', badge: null });
  });

  it('an action link: herald-inbox:action can keep the page from following it, and the item is marked read', async () => {
    const c = await openExample({
      before: async (userId) => {
        await send(userId, 'See your order', 'https://shop.example.com/orders/o-9');
        await storedCount(userId, 1);
      },
    });
    await c.page.evaluate("document.querySelector('herald-inbox').addEventListener('herald-inbox:action', (e) => { window.lastAction = e.detail.url; e.preventDefault(); })");
    await badgeIs(c, { name: 'Notifications, 1 unread', badge: '1' });
    await c.bell.click();
    const before = c.page.url();
    await item(c, 'See your order').getByRole('link', { name: 'Open' }).click();
    await badgeIs(c, { name: 'Notifications', badge: null });
    expect(c.page.url()).toBe(before);
    expect(await c.page.evaluate('window.lastAction')).toBe('https://shop.example.com/orders/o-9');
    expect(await logged(c)).toContain('herald-inbox:action See your order');
    await eventually(async () => ((await stored(c.userId))[0].readAt ? true : undefined), 10_000, 'read in Herald');
  });

  it('offline and back: what was sent meanwhile arrives, each item once', async () => {
    const c = await openExample({
      before: async (userId) => {
        await send(userId, 'Before');
        await storedCount(userId, 1);
      },
    });
    await live(c);
    await c.bell.click();
    await item(c, 'Before').waitFor();

    await c.context.setOffline(true);
    await c.page.locator('herald-inbox[connection="offline"]').waitFor();
    expect(await c.page.locator('herald-inbox .status').innerText()).toBe('Offline: reconnecting…');
    for (const title of ['While offline 1', 'While offline 2']) await send(c.userId, title);
    await storedCount(c.userId, 3);
    await c.page.waitForTimeout(500);
    expect(await titles(c)).toEqual(['Unread: Before']);

    await c.context.setOffline(false);
    await live(c);
    await eventually(async () => ((await titles(c)).length === 3 ? true : undefined), 30_000, 'the items sent while offline');
    // And once more live, after the reconnection.
    await send(c.userId, 'After');
    await item(c, 'After').waitFor({ timeout: 30_000 });
    await c.page.waitForTimeout(1_500);
    expect(await titles(c)).toEqual(await inHeraldOrder(c.userId));
    expect((await titles(c)).sort()).toEqual(['Unread: After', 'Unread: Before', 'Unread: While offline 1', 'Unread: While offline 2']);
    const arrivals = (await logged(c)).filter((l) => l.startsWith('herald-inbox:item'));
    expect(arrivals.sort()).toEqual(['herald-inbox:item After', 'herald-inbox:item While offline 1', 'herald-inbox:item While offline 2']);
    await badgeIs(c, { name: 'Notifications, 4 unread', badge: '4' });
  });

  it('the server drops the stream: the element reconnects by itself and resumes, each item once', async () => {
    const c = await openExample();
    // Chromium's own report of the stream cut short.
    c.expected.push('Failed to load resource: net::ERR_INCOMPLETE_CHUNKED_ENCODING');
    await live(c);
    await c.bell.click();
    const streams = () => c.requests.filter((url) => url === `${base}/v1/inbox/stream`).length;
    expect(streams()).toBe(1);
    await send(c.userId, 'Before the drop');
    await item(c, 'Before the drop').waitFor({ timeout: 30_000 });
    // Every connection to Herald is closed under the page, the stream's with it; items follow at once.
    (herald.app.getHttpServer() as { closeAllConnections(): void }).closeAllConnections();
    for (const title of ['Across the drop 1', 'Across the drop 2']) await send(c.userId, title);
    await eventually(async () => ((await titles(c)).length === 3 ? true : undefined), 30_000, 'the items sent across the drop');
    await eventually(() => (streams() >= 2 ? true : undefined), 30_000, 'a new stream');
    await live(c);
    await send(c.userId, 'After the drop');
    await item(c, 'After the drop').waitFor({ timeout: 30_000 });
    await c.page.waitForTimeout(1_000);
    expect(await titles(c)).toEqual(await inHeraldOrder(c.userId));
    expect(await titles(c)).toHaveLength(4);
    const arrivals = (await logged(c)).filter((l) => l.startsWith('herald-inbox:item'));
    expect(arrivals).toHaveLength(4);
    await badgeIs(c, { name: 'Notifications, 4 unread', badge: '4' });
  });

  it('works with the keyboard: Enter opens, focus stays in the popover, Escape closes and returns to the bell', async () => {
    const c = await openExample({
      before: async (userId) => {
        await send(userId, 'Keyboard item', 'https://shop.example.com/k');
        await storedCount(userId, 1);
      },
    });
    await badgeIs(c, { name: 'Notifications, 1 unread', badge: '1' });
    const focused = (): Promise<string> => c.page.evaluate("(() => { const a = document.querySelector('herald-inbox').shadowRoot.activeElement; return a ? (a.closest('.popover') ? 'popover:' : 'host:') + (a.getAttribute('aria-label') || a.textContent.trim()) : 'outside:' + document.activeElement.tagName; })()");
    await c.page.keyboard.press('Tab');
    expect(await focused()).toBe('host:Notifications, 1 unread');
    expect(await c.bell.getAttribute('aria-expanded')).toBe('false');
    await c.page.keyboard.press('Enter');
    await c.page.getByRole('dialog', { name: 'Notifications' }).waitFor();
    expect(await c.bell.getAttribute('aria-expanded')).toBe('true');
    expect(await focused()).toBe('popover:Inbox');
    // Mark all, the link, mark read, archive, close, then round to the tab again: never out of the popover.
    const seen: string[] = [];
    for (let i = 0; i < 6; i++) {
      await c.page.keyboard.press('Tab');
      seen.push(await focused());
    }
    expect(seen).toEqual(['popover:Mark all as read', 'popover:Open', 'popover:Mark as read', 'popover:Archive', 'popover:Close', 'popover:Inbox']);
    await c.page.keyboard.press('Shift+Tab');
    expect(await focused()).toBe('popover:Close');
    await c.page.keyboard.press('Shift+Tab');
    expect(await focused()).toBe('popover:Archive');
    // The arrow keys move between the tabs.
    await c.page.keyboard.press('Tab');
    await c.page.keyboard.press('Tab');
    expect(await focused()).toBe('popover:Inbox');
    await c.page.keyboard.press('ArrowRight');
    expect(await focused()).toBe('popover:Preferences');
    await c.page.keyboard.press('ArrowLeft');
    expect(await focused()).toBe('popover:Inbox');
    await c.page.keyboard.press('Escape');
    await c.page.getByRole('dialog').waitFor({ state: 'detached' });
    expect(await focused()).toBe('host:Notifications, 1 unread');
    expect(await c.bell.getAttribute('aria-expanded')).toBe('false');
  });

  it('speaks German with locale="de"', async () => {
    const c = await openExample({
      query: '?locale=de',
      before: async (userId) => {
        await send(userId, 'Bestellung versandt');
        await storedCount(userId, 1);
      },
    });
    await badgeIs(c, { name: 'Benachrichtigungen, 1 ungelesen', badge: '1' });
    await c.bell.click();
    await c.page.getByRole('dialog', { name: 'Benachrichtigungen' }).waitFor();
    expect(await c.page.getByRole('tab').allInnerTexts()).toEqual(['Posteingang', 'Einstellungen']);
    const row = item(c, 'Bestellung versandt');
    expect(await row.getByRole('button').allInnerTexts()).toEqual(['Als gelesen markieren', 'Archivieren']);
    expect(await row.locator('time').innerText()).toBe('jetzt');
    expect(await titles(c)).toEqual(['Ungelesen: Bestellung versandt']);
    expect(await c.page.getByRole('button', { name: 'Alle als gelesen markieren' }).count()).toBe(1);
    await c.page.getByRole('tab', { name: 'Einstellungen' }).click();
    await c.page.getByText('Kanäle').waitFor();
    expect(await c.page.getByRole('checkbox', { name: 'E-Mail', exact: true }).count()).toBe(1);
  });

  it('loads older pages as the list is scrolled to its end', async () => {
    const c = await openExample({
      query: '?pageSize=8',
      before: async (userId) => {
        for (let i = 1; i <= 20; i++) await send(userId, `Item ${String(i).padStart(2, '0')}`);
        await storedCount(userId, 20);
      },
    });
    await badgeIs(c, { name: 'Notifications, 20 unread', badge: '20' });
    await c.bell.click();
    await c.page.locator('herald-inbox .item').first().waitFor();
    expect(await titles(c)).toHaveLength(8);
    const pages = () => c.requests.filter((url) => url.startsWith(`${base}/v1/inbox/items?`) && url.includes('cursor=')).length;
    expect(pages()).toBe(0);
    const scrollToEnd = () => c.page.locator('herald-inbox .list').evaluate((list) => list.scrollTo(0, list.scrollHeight));
    await scrollToEnd();
    await eventually(async () => ((await titles(c)).length === 16 ? true : undefined), 10_000, 'the second page');
    expect(pages()).toBe(1);
    await scrollToEnd();
    await eventually(async () => ((await titles(c)).length === 20 ? true : undefined), 10_000, 'the third page');
    expect(await titles(c)).toEqual(await inHeraldOrder(c.userId));
    expect(new Set(await titles(c)).size).toBe(20);
    // The last page had no next cursor: nothing more is asked for.
    await scrollToEnd();
    await c.page.waitForTimeout(500);
    expect(pages()).toBe(2);
    expect(await c.page.locator('herald-inbox .sentinel').count()).toBe(0);
  });

  it('a page that does not fill the popover is followed by the next, until it does or the pages end', async () => {
    const c = await openExample({
      query: '?pageSize=2',
      before: async (userId) => {
        for (let i = 1; i <= 5; i++) await send(userId, `Short ${i}`);
        await storedCount(userId, 5);
      },
    });
    await badgeIs(c, { name: 'Notifications, 5 unread', badge: '5' });
    await c.bell.click();
    await eventually(async () => ((await titles(c)).length === 5 ? true : undefined), 10_000, 'every page, without a scroll');
    expect(await titles(c)).toEqual(await inHeraldOrder(c.userId));
    expect(c.requests.filter((url) => url.startsWith(`${base}/v1/inbox/items?`) && url.includes('cursor=')).length).toBe(2);
  });

  it('the Preferences tab changes the user\'s own preferences in Herald', async () => {
    const c = await openExample();
    await live(c);
    await c.bell.click();
    await c.page.getByRole('tab', { name: 'Preferences' }).click();
    const inApp = c.page.getByRole('checkbox', { name: 'Test notifications from the example page: In-app' });
    await inApp.waitFor();
    expect(await inApp.isChecked()).toBe(true);
    await inApp.uncheck();
    await c.page.getByText('Preferences saved.').waitFor();
    const preferences = async () => (await herald.http.get(`/v1/recipients/${c.userId}/preferences`).set(auth).expect(200)).body as { categories: Record<string, Record<string, boolean>>; optedOutChannels: string[] };
    expect((await preferences()).categories[EXAMPLE_CATEGORY]).toEqual(expect.objectContaining({ inapp: false }));

    await c.page.getByRole('checkbox', { name: 'SMS', exact: true }).uncheck();
    await eventually(async () => ((await preferences()).optedOutChannels.includes('sms') ? true : undefined), 10_000, 'sms opted out');
    // An opted-out channel's switches are off limits until it is back (once the element has Herald's answer: Herald
    // may commit before the element renders it).
    const smsSwitch = c.page.getByRole('checkbox', { name: 'Test notifications from the example page: SMS' });
    await eventually(async () => ((await smsSwitch.isDisabled()) ? true : undefined), 5_000, 'the SMS switch disabled');

    // What the switch now says is what Herald does: an in-app notification of the category is not delivered.
    const id = await send(c.userId, 'Muted');
    await eventually(async () => ((await herald.http.get(`/v1/notifications/${id}`).set(auth)).body.status === 'suppressed' ? true : undefined), 30_000, 'suppressed');
    expect(await stored(c.userId)).toEqual([]);
  });

  it('web push: the service worker, the permission and Herald\'s key are real; the subscription is stored, sent to, and shown', async () => {
    const c = await openExample({ permissions: ['notifications'] });
    c.expected.push('Chrome currently does not support the Push API in incognito mode (https://crbug.com/41124656). There is deliberately no way to feature-detect this, since incognito mode needs to be undetectable by websites.');
    await live(c);
    await c.page.getByRole('button', { name: 'Turn on browser notifications' }).click();
    const status = c.page.locator('#push-status');
    await eventually(async () => ((await status.innerText()) ? true : undefined), 15_000, 'an outcome');
    // Headless Chromium has no push service: a browser context (incognito, as every Playwright context is) refuses to
    // subscribe. Everything before that step ran for real: the worker is registered and active, the permission is
    // granted, and Herald's VAPID key was read across origins.
    expect(await status.innerText()).toBe('Browser notifications could not be turned on: The browser could not subscribe: AbortError: Registration failed - permission denied');
    expect(await c.page.evaluate("navigator.serviceWorker.getRegistration().then((r) => r && r.active && r.active.scriptURL)")).toBe(`${c.example.url}/herald-inbox-sw.js`);
    expect(await c.page.evaluate('Notification.permission')).toBe('granted');
    expect(c.requests).toContain(`${base}/v1/inbox/webpush/key`);
    // Nothing was stored for the refused subscription.
    expect((await herald.db.query(`SELECT 1 FROM recipients WHERE user_id = $1`, [c.userId])).rowCount).toBe(0);

    // The last step, storing, with a subscription as a push service hands it out (keys this test holds).
    const agent = userAgentKeys(`${pushService.url}/push/${c.userId}`);
    await c.page.evaluate(`import('/web-push.js').then((m) => m.saveWebPushSubscription({ baseUrl: document.querySelector('herald-inbox').baseUrl, token: document.querySelector('herald-inbox').tokenProvider, subscription: ${JSON.stringify({ ...agent.subscription, expirationTime: null })} }))`);
    const profile = await herald.http.get(`/v1/recipients/${c.userId}`).set(auth).expect(200);
    expect(profile.body.deviceTokens).toEqual([expect.objectContaining({ platform: 'webpush' })]);

    // Herald sends to it: the push service gets the encrypted message, which decrypts with the subscription's keys.
    const received = pushService.received.length;
    await herald.http
      .post('/v1/notifications')
      .set(auth)
      .send({ recipient: { userId: c.userId }, channels: ['webpush'], content: { webpush: { title: 'Back in stock', body: 'The blue one', url: `${c.example.url}/#stock` } } })
      .expect(202);
    const push = await eventually(() => pushService.received.slice(received).find((r) => r.url === `/push/${c.userId}`), 30_000, 'the push');
    const payload = agent.decrypt(push.body);
    expect(JSON.parse(payload)).toMatchObject({ title: 'Back in stock', body: 'The blue one', url: `${c.example.url}/#stock` });

    // That payload delivered to the service worker (DevTools' push, in place of the push service) is shown. A push
    // service redelivers what it could not hand over; so does this, once the worker is activated, until the worker
    // has shown it (the notification's tag is Herald's notification id, so a redelivery replaces, not adds).
    const cdp = await c.context.newCDPSession(c.page);
    const registrations: Array<{ registrationId: string; scopeURL: string; isDeleted: boolean }> = [];
    const versions = new Map<string, { registrationId: string; status: string; runningStatus: string }>();
    cdp.on('ServiceWorker.workerRegistrationUpdated', (e: { registrations: typeof registrations }) => registrations.push(...e.registrations));
    cdp.on('ServiceWorker.workerVersionUpdated', (e: { versions: Array<{ versionId: string; registrationId: string; status: string; runningStatus: string }> }) => {
      for (const v of e.versions) versions.set(v.versionId, v);
    });
    await cdp.send('ServiceWorker.enable');
    const registration = await eventually(() => registrations.find((r) => r.scopeURL === `${c.example.url}/` && !r.isDeleted), 10_000, 'the registration');
    await eventually(() => ([...versions.values()].some((v) => v.registrationId === registration.registrationId && v.status === 'activated') ? true : undefined), 10_000, 'the activated worker');
    const notificationsShown = async () =>
      (await c.page.evaluate('navigator.serviceWorker.ready.then((r) => r.getNotifications()).then((ns) => ns.map((n) => ({ title: n.title, body: n.body, url: n.data.url })))')) as unknown[];
    let deliveries = 0;
    let shown: unknown[] = [];
    while (!shown.length && deliveries < 6) {
      await cdp.send('ServiceWorker.deliverPushMessage', { origin: `${c.example.url}/`, registrationId: registration.registrationId, data: payload });
      deliveries++;
      shown = await eventually(async () => ((await notificationsShown()).length ? await notificationsShown() : undefined), 5_000, 'the notification').catch(() => []);
    }
    if (!shown.length) throw new Error(`nothing shown after ${deliveries} deliveries; worker versions: ${JSON.stringify([...versions.values()])}`);
    expect(shown).toEqual([{ title: 'Back in stock', body: 'The blue one', url: `${c.example.url}/#stock` }]);
  });

  it('web push: a refused permission is reported, and nothing is stored', async () => {
    const c = await openExample();
    await c.page.getByRole('button', { name: 'Turn on browser notifications' }).click();
    const status = c.page.locator('#push-status');
    await eventually(async () => ((await status.innerText()) ? true : undefined), 15_000, 'an outcome');
    expect(await status.innerText()).toBe('Browser notifications could not be turned on: Notifications are not allowed (denied).');
    expect((await herald.db.query(`SELECT 1 FROM recipients WHERE user_id = $1`, [c.userId])).rowCount).toBe(0);
  });
});
