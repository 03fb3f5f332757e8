import { CreateApiKey } from '../../src/modules/access/application/create-api-key.use-case';
import { openConsole, signIn, startConsoleHerald, type ConsoleHerald, type ConsolePage } from '../support/console-browser';
import { ADMIN_KEY, eventually, type Herald } from '../support/herald-harness';

const auth = { Authorization: `Bearer ${ADMIN_KEY}` };
const sid = 'AC00000000000000000000000000000031';

describe("the console's admin pages (API keys, audit log) in Chromium, against a real Herald", () => {
  let setup: ConsoleHerald;
  let herald: Herald;
  let adminId: string;
  let readerKey: string;
  /** Secrets the console showed: none may appear in a request URL or stay in the page's storage. */
  const secrets: string[] = [];
  /** The key created and revoked in the console, for the audit page. */
  let partner: { id: string; secret: string } | undefined;
  const opened: ConsolePage[] = [];

  beforeAll(async () => {
    setup = await startConsoleHerald(sid);
    herald = setup.herald;
    adminId = (await herald.http.get('/v1/api-keys/self').set(auth).expect(200)).body.id as string;
    readerKey = (await herald.app.get(CreateApiKey).execute({ name: 'reader', scopes: ['notifications:read'] })).secret;
  });
  afterAll(() => setup?.stop());
  afterEach(async () => {
    for (const c of opened.splice(0)) {
      // Every page the test opened: no console error, no uncaught exception, no CSP violation.
      expect(c.problems).toEqual([]);
      // Keys travel in the Authorization header only, never in a URL.
      expect(c.requests.filter((url) => [ADMIN_KEY, readerKey, ...secrets].some((key) => url.includes(key)))).toEqual([]);
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

  /** Whether the page shows the text anywhere: in its text, in a field, or in its storage. */
  function holds(c: ConsolePage, text: string): Promise<boolean> {
    // A string: it runs in the browser, where this file's Node types do not apply.
    const t = JSON.stringify(text);
    return c.page.evaluate(
      `document.body.innerText.includes(${t}) || [...document.querySelectorAll('input, textarea')].some((i) => i.value.includes(${t})) || ` +
        `JSON.stringify({ ...sessionStorage }).includes(${t}) || JSON.stringify({ ...localStorage }).includes(${t})`,
    ) as Promise<boolean>;
  }

  it('creates a key whose secret it shows once, which the API accepts; revoked through the confirmation, the API refuses it', async () => {
    const c = await open();
    const { page } = c;
    await page.getByRole('link', { name: 'API keys' }).click();
    await page.getByRole('heading', { name: 'API keys', level: 1 }).waitFor();
    // The signed-in key is listed, with no secret.
    await page.getByRole('row').filter({ hasText: adminId }).waitFor();

    await page.getByLabel('Name').fill('c-partner');
    await page.getByRole('checkbox', { name: /notifications:write/ }).check();
    await page.getByRole('button', { name: 'Create key' }).click();
    const field = page.getByLabel('Secret of the new key');
    await field.waitFor();
    const secret = await field.inputValue();
    secrets.push(secret);
    expect(secret).toMatch(/^hk_/);
    expect(await holds(c, secret)).toBe(true);
    await page.getByText('Herald shows it only this once').waitFor();
    // Focused and selected, ready to copy.
    expect(await page.evaluate('document.activeElement.getAttribute("aria-label") || document.activeElement.closest("label")?.innerText')).toContain('Secret of the new key');

    // The secret is a working key, with the scopes chosen.
    const self = await herald.http.get('/v1/api-keys/self').set({ Authorization: `Bearer ${secret}` }).expect(200);
    expect(self.body).toEqual({ id: expect.any(String), name: 'c-partner', scopes: ['notifications:read', 'notifications:write'] });
    partner = { id: self.body.id as string, secret };
    const row = page.getByRole('row').filter({ hasText: partner.id });
    expect(await row.innerText()).toMatch(/c-partner[\s\S]*notifications:read, notifications:write[\s\S]*active/);

    // Once dismissed, it is nowhere in the page, nor after a reload.
    await page.getByRole('button', { name: 'I have copied it' }).click();
    await field.waitFor({ state: 'detached' });
    expect(await holds(c, secret)).toBe(false);
    await page.reload();
    await row.waitFor();
    expect(await holds(c, secret)).toBe(false);
    // Only its prefix and last four identify it.
    expect(await row.innerText()).toContain(secret.slice(-4));

    // Cancel leaves the key working.
    await page.getByRole('button', { name: 'Revoke c-partner' }).click();
    const dialog = page.getByRole('dialog', { name: 'Revoke the key "c-partner"?' });
    await dialog.waitFor();
    expect(await dialog.innerText()).toContain('A revoked key cannot be used again.');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await herald.http.get('/v1/api-keys/self').set({ Authorization: `Bearer ${secret}` }).expect(200);

    await page.getByRole('button', { name: 'Revoke c-partner' }).click();
    await dialog.getByRole('button', { name: 'Revoke the key' }).click();
    await page.getByRole('status').filter({ hasText: 'Key "c-partner" revoked.' }).waitFor();
    await eventually(async () => ((await row.innerText()).includes('revoked') ? true : undefined), 10_000, 'the row says revoked');
    expect(await page.getByRole('button', { name: 'Revoke c-partner' }).count()).toBe(0);
    const refused = await herald.http.get('/v1/api-keys/self').set({ Authorization: `Bearer ${secret}` }).expect(401);
    expect(refused.body.error.code).toBe('unauthenticated');
  });

  it('lists the creation and the revocation on the audit page, with the state before and after and the changed fields marked', async () => {
    expect(partner).toBeDefined();
    const { page } = await open();
    await page.getByRole('link', { name: 'Audit log' }).click();
    await page.getByRole('combobox', { name: /^Key/ }).selectOption(adminId);
    await page.getByRole('combobox', { name: /^Action/ }).selectOption('api_key.revoked');
    await page.getByRole('button', { name: 'Apply' }).click();
    const revoked = page.getByRole('article', { name: `api_key.revoked api_key:${partner!.id}` });
    await revoked.waitFor();
    expect(await revoked.innerText()).toContain(`bootstrap (${adminId})`);
    // Only the revocation time changed: marked, with the word as well as the colour.
    const revokedAt = revoked.locator('tbody tr', { hasText: 'revokedAt' });
    expect(await revokedAt.getAttribute('class')).toBe('changed');
    expect(await revokedAt.innerText()).toMatch(/revokedAt\s*changed\s*null\s*\d{4}-\d{2}-\d{2}T/);
    const name = revoked.locator('tbody tr', { hasText: 'name' });
    expect(await name.getAttribute('class')).toBeNull();
    expect(await name.innerText()).toMatch(/c-partner\s+c-partner/);
    expect(await revoked.locator('tbody tr.changed').count()).toBe(1);
    // Nothing of the secret is recorded but what a listing shows.
    expect(await revoked.innerText()).not.toContain(partner!.secret);

    await page.getByRole('combobox', { name: /^Action/ }).selectOption('api_key.created');
    await page.getByRole('button', { name: 'Apply' }).click();
    const created = page.getByRole('article', { name: `api_key.created api_key:${partner!.id}` });
    await created.waitFor();
    // Nothing before; every field of the new key after, each marked.
    const rows = created.locator('tbody tr');
    expect(await rows.count()).toBe(await created.locator('tbody tr.changed').count());
    expect(await created.locator('tbody tr', { hasText: 'scopes' }).innerText()).toMatch(/—\s*\["notifications:read","notifications:write"\]/);
    expect(await created.innerText()).not.toContain(partner!.secret);
    expect(await page.getByRole('article').count()).toBe(1);
  });

  it('shows a template changed through the API, and pages through the log by cursor', async () => {
    const locales = (subject: string) => ({ en: { email: { subject, text: 'Hello' } } });
    await herald.http.put('/v1/templates/c-audited').set(auth).send({ defaultLocale: 'en', variables: [], locales: locales('First') }).expect(200);
    await herald.http.put('/v1/templates/c-audited').set(auth).send({ defaultLocale: 'en', variables: [], locales: { ...locales('Second'), fr: { email: { subject: 'Deuxième', text: 'Bonjour' } } } }).expect(200);

    const { page } = await open();
    await page.goto('/console/#/audit-log');
    await page.getByRole('combobox', { name: /^Action/ }).selectOption('template.published');
    await page.getByRole('button', { name: 'Apply' }).click();
    const articles = page.getByRole('article', { name: 'template.published template:c-audited' });
    await eventually(async () => ((await articles.count()) === 2 ? true : undefined), 10_000, 'both versions listed');
    const newest = articles.first();
    expect(await newest.locator('tbody tr', { hasText: 'version' }).innerText()).toMatch(/version\s*changed\s*1\s*2/);
    expect(await newest.locator('tbody tr', { hasText: 'locales' }).innerText()).toMatch(/\["en"\]\s*\["en","fr"\]/);
    expect(await newest.locator('tbody tr', { hasText: 'contentDigest' }).getAttribute('class')).toBe('changed');
    expect(await newest.locator('tbody tr', { hasText: 'defaultLocale' }).getAttribute('class')).toBeNull();

    // 30 category changes: a page of 25, then the 5 older ones, then the newest again.
    for (let i = 0; i < 30; i++) await herald.http.put('/v1/categories/c-paged').set(auth).send({ description: `Change ${i}` }).expect(200);
    await page.getByRole('combobox', { name: /^Action/ }).selectOption('category.changed');
    await page.getByRole('button', { name: 'Apply' }).click();
    const descriptions = () => page.locator('article tbody tr', { hasText: 'description' }).evaluateAll((rows) => rows.map((r) => r.lastElementChild!.textContent));
    await eventually(async () => ((await descriptions()).length === 25 ? true : undefined), 10_000, 'a full first page');
    expect((await descriptions())[0]).toBe('Change 29');
    await page.getByRole('button', { name: 'Older' }).click();
    await eventually(async () => ((await descriptions()).length === 5 ? true : undefined), 10_000, 'the older page');
    expect(await descriptions()).toEqual(['Change 4', 'Change 3', 'Change 2', 'Change 1', 'Change 0']);
    expect(await page.getByRole('button', { name: 'Older' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Newest' }).click();
    await eventually(async () => ((await descriptions())[0] === 'Change 29' ? true : undefined), 10_000, 'the newest page again');
  });

  it('fits a phone screen', async () => {
    const { page } = await open(ADMIN_KEY, { width: 390, height: 844 });
    for (const [path, heading] of [['api-keys', 'API keys'], ['audit-log', 'Audit log']]) {
      await page.goto(`/console/#/${path}`);
      await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
      await page.locator('tbody tr').first().waitFor();
      // Nothing wider than the screen but the tables, which scroll on their own.
      expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    }
  });

  it('a read-only key sees neither page in the navigation, and the API refuses it both with 403', async () => {
    const { page } = await open(readerKey);
    await page.getByRole('link', { name: 'Activity' }).waitFor();
    expect(await page.getByRole('link', { name: 'API keys' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Audit log' }).count()).toBe(0);
    // Opened by its address, a page says what it needs instead of asking Herald.
    await page.goto('/console/#/api-keys');
    await page.getByText('API keys need an API key with the admin scope.').waitFor();
    await page.goto('/console/#/audit-log');
    await page.getByText('The audit log needs an API key with the admin scope.').waitFor();
    const reader = { Authorization: `Bearer ${readerKey}` };
    for (const path of ['/v1/api-keys', '/v1/audit-log']) {
      const res = await herald.http.get(path).set(reader).expect(403);
      expect(res.body.error.code).toBe('insufficient_scope');
    }
    await herald.http.post('/v1/api-keys').set(reader).send({ name: 'self-made', scopes: ['admin'] }).expect(403);
  });
});
