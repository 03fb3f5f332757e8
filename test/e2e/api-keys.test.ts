import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { CreateApiKey } from '../../src/modules/access/application/create-api-key.use-case';
import { ADMIN_KEY, sleep, startHerald, type Herald } from '../support/herald-harness';

jest.setTimeout(180_000);

const ROOT = join(__dirname, '..', '..');

describe('API keys: create with an expiry, list without secrets, revoke; over HTTP and with npm run cli; the audit log', () => {
  let herald: Herald;
  const admin = { Authorization: `Bearer ${ADMIN_KEY}` };
  const bearer = (secret: string) => ({ Authorization: `Bearer ${secret}` });

  let keysSecretOfReader: string;

  beforeAll(async () => {
    herald = await startHerald();
    keysSecretOfReader = (await herald.app.get(CreateApiKey).execute({ name: 'reader', scopes: ['notifications:read'] })).secret;
  });
  afterAll(async () => {
    await herald.stop();
  });

  function cli(...args: string[]) {
    const result = spawnSync(process.execPath, ['-r', join(ROOT, 'test/support/ts-register.cjs'), join(ROOT, 'src/cli/main.ts'), ...args], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH, DATABASE_URL: herald.database.url, LOG_LEVEL: 'error' },
    });
    return { code: result.status, out: result.stdout, err: result.stderr };
  }

  it('creates a key whose secret is shown once, lists keys by prefix and last four only, and revokes one at once', async () => {
    const created = await herald.http.post('/v1/api-keys').set(admin).send({ name: 'console', scopes: ['notifications:read'] }).expect(201);
    const secret = created.body.secret as string;
    expect(created.body).toMatchObject({ name: 'console', scopes: ['notifications:read'], status: 'active', prefix: secret.slice(0, 10), lastFour: secret.slice(-4), expiresAt: null, revokedAt: null });
    await herald.http.get('/v1/notifications?limit=1').set(bearer(secret)).expect(200);
    // The key is narrow: it cannot manage keys.
    expect((await herald.http.get('/v1/api-keys').set(bearer(secret)).expect(403)).body.error.code).toBe('insufficient_scope');

    const listed = await herald.http.get('/v1/api-keys').set(admin).expect(200);
    const text = JSON.stringify(listed.body);
    expect(text).not.toContain(secret);
    expect(text).not.toContain(ADMIN_KEY);
    expect(listed.body.items[0]).toEqual({
      id: created.body.id,
      name: 'console',
      scopes: ['notifications:read'],
      prefix: secret.slice(0, 10),
      lastFour: secret.slice(-4),
      status: 'active',
      createdAt: created.body.createdAt,
      expiresAt: null,
      revokedAt: null,
    });
    expect(listed.body.items.map((k: { name: string }) => k.name)).toContain('bootstrap');

    // Used a moment ago, so cached: revocation still refuses it at once.
    const revoked = await herald.http.delete(`/v1/api-keys/${created.body.id}`).set(admin).expect(200);
    expect(revoked.body).toMatchObject({ id: created.body.id, status: 'revoked', revokedAt: expect.any(String) });
    expect((await herald.http.get('/v1/notifications?limit=1').set(bearer(secret)).expect(401)).body.error.code).toBe('unauthenticated');
    // Revoking again changes nothing; an unknown id is a 404.
    expect((await herald.http.delete(`/v1/api-keys/${created.body.id}`).set(admin).expect(200)).body.revokedAt).toBe(revoked.body.revokedAt);
    expect((await herald.http.delete('/v1/api-keys/0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b').set(admin).expect(404)).body.error.code).toBe('api_key_not_found');
    expect((await herald.http.delete('/v1/api-keys/not-an-id').set(admin).expect(404)).body.error.code).toBe('api_key_not_found');
  });

  it('refuses an expired key with 401 api_key_expired, even while it was cached', async () => {
    const expiresAt = new Date(Date.now() + 1500).toISOString();
    const created = await herald.http.post('/v1/api-keys').set(admin).send({ name: 'short', scopes: ['notifications:read'], expiresAt }).expect(201);
    expect(created.body.expiresAt).toBe(expiresAt);
    await herald.http.get('/v1/notifications?limit=1').set(bearer(created.body.secret)).expect(200);
    await sleep(1700);
    const refused = await herald.http.get('/v1/notifications?limit=1').set(bearer(created.body.secret)).expect(401);
    expect(refused.body.error).toEqual({ code: 'api_key_expired', message: expect.stringContaining('expired') });
    const listed = (await herald.http.get('/v1/api-keys').set(admin).expect(200)).body.items.find((k: { id: string }) => k.id === created.body.id);
    expect(listed).toMatchObject({ status: 'expired', expiresAt });
  });

  it('refuses bad creations with 400 and stores nothing', async () => {
    const before = (await herald.http.get('/v1/api-keys').set(admin).expect(200)).body.items.length;
    for (const body of [
      { scopes: ['admin'] },
      { name: 'x', scopes: [] },
      { name: 'x', scopes: ['root'] },
      { name: 'x', scopes: ['admin'], expiresAt: 'tomorrow' },
      { name: 'x', scopes: ['admin'], expiresAt: '2020-01-01T00:00:00Z' },
    ]) {
      const res = await herald.http.post('/v1/api-keys').set(admin).send(body).expect(400);
      expect(res.body.error.code).toEqual(expect.any(String));
    }
    expect((await herald.http.get('/v1/api-keys').set(admin).expect(200)).body.items).toHaveLength(before);
  });

  it('npm run cli -- api-key create --expires-at, list and revoke work on the same keys', async () => {
    const expires = new Date(Date.now() + 86_400_000).toISOString();
    const created = cli('api-key', 'create', '--scopes', 'notifications:write', '--name', 'batch-job', '--expires-at', expires);
    expect(created).toMatchObject({ code: 0, out: expect.stringContaining(`expiring ${expires}`) });
    const id = /Created API key (\S+)/.exec(created.out)![1];
    const secret = created.out.trim().split('\n').pop()!;
    await herald.http.get('/v1/api-keys').set(bearer(secret)).expect(403);

    const listed = cli('api-key', 'list');
    expect(listed.code).toBe(0);
    expect(listed.out).not.toContain(secret);
    expect(listed.out).toContain(`${id}  ${secret.slice(0, 10)}...${secret.slice(-4)}  batch-job  notifications:write  active (expires ${expires})`);

    expect(cli('api-key', 'revoke', id)).toMatchObject({ code: 0, out: expect.stringContaining(`Revoked API key ${id} (batch-job)`) });
    expect(cli('api-key', 'list').out).toMatch(new RegExp(`${id} .* revoked `));
    expect((await herald.http.get('/v1/api-keys').set(admin).expect(200)).body.items.find((k: { id: string }) => k.id === id)).toMatchObject({ status: 'revoked' });

    expect(cli('api-key', 'revoke', '0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b')).toMatchObject({ code: 1, err: expect.stringContaining('No API key has id') });
    expect(cli('api-key', 'create', '--scopes', 'admin', '--expires-at', 'soon')).toMatchObject({ code: 1, err: expect.stringContaining('expires-at must be an ISO 8601') });
  });

  it('every key created or revoked above is in the audit log, newest first, with the key that did it and no secret', async () => {
    const keys = (await herald.http.get('/v1/api-keys').set(admin).expect(200)).body.items as Array<{ id: string; name: string }>;
    const idOf = (name: string) => keys.find((k) => k.name === name)!.id;
    const bootstrap = idOf('bootstrap');
    const log = await herald.http.get('/v1/audit-log').set(admin).expect(200);
    const entries = log.body.items as Array<{ keyId: string | null; action: string; target: string; before: Record<string, unknown> | null; after: Record<string, unknown> | null }>;
    expect(entries.map((e) => [e.action, e.target, e.keyId])).toEqual([
      ['api_key.revoked', `api_key:${idOf('batch-job')}`, null],
      ['api_key.created', `api_key:${idOf('batch-job')}`, null],
      ['api_key.created', `api_key:${idOf('short')}`, bootstrap],
      ['api_key.revoked', `api_key:${idOf('console')}`, bootstrap],
      ['api_key.created', `api_key:${idOf('console')}`, bootstrap],
      ['api_key.created', `api_key:${idOf('reader')}`, null],
    ]);
    expect(entries[3].before).toMatchObject({ name: 'console', revokedAt: null });
    expect(entries[3].after).toMatchObject({ name: 'console', revokedAt: expect.any(String), lastFour: expect.any(String) });
    expect(entries[4].before).toBeNull();
    expect(JSON.stringify(log.body)).not.toMatch(/hk_[A-Za-z0-9_-]{20,}/);

    // Filters and pages.
    const revocations = (await herald.http.get('/v1/audit-log?action=api_key.revoked').set(admin).expect(200)).body.items;
    expect(revocations).toHaveLength(2);
    expect((await herald.http.get(`/v1/audit-log?keyId=${bootstrap}`).set(admin).expect(200)).body.items).toHaveLength(3);
    const future = new Date(Date.now() + 60_000).toISOString();
    expect((await herald.http.get(`/v1/audit-log?from=${future}`).set(admin).expect(200)).body.items).toEqual([]);
    const first = await herald.http.get('/v1/audit-log?limit=4').set(admin).expect(200);
    const second = await herald.http.get(`/v1/audit-log?limit=4&cursor=${encodeURIComponent(first.body.nextCursor)}`).set(admin).expect(200);
    expect(second.body.nextCursor).toBeNull();
    expect([...first.body.items, ...second.body.items].map((e: { id: string }) => e.id)).toEqual(log.body.items.map((e: { id: string }) => e.id));
    for (const query of ['action=api_key.deleted', 'keyId=nope', 'from=yesterday', `from=${future}&to=2020-01-01T00:00:00Z`, 'cursor=bm9wZQ']) {
      expect((await herald.http.get(`/v1/audit-log?${query}`).set(admin).expect(400)).body.error.code).toBe('validation_failed');
    }
    await herald.http.get('/v1/audit-log').set(bearer(keysSecretOfReader)).expect(403);
  });
});
