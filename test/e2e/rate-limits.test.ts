import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { CreateApiKey } from '../../src/modules/access/application/create-api-key.use-case';
import { ADMIN_KEY, eventually, startHerald, type Herald } from '../support/herald-harness';
import { createTestDatabase } from '../support/test-database';

const ROOT = join(__dirname, '..', '..');
const MAIN = join(ROOT, 'dist', 'src', 'main.js');

/** Five routes of five controllers: a limit per route would let each through. */
const ROUTES = ['/v1/categories', '/v1/suppressions', '/v1/rejected-events', '/v1/failed-notifications', '/v1/recipients/nobody'];

function expectRateLimited(res: { status: number; headers: Record<string, string>; body: unknown }) {
  expect(res.status).toBe(429);
  const retryAfter = Number(res.headers['retry-after']);
  expect(Number.isInteger(retryAfter)).toBe(true);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(60);
  expect(res.body).toEqual({ error: { code: 'rate_limited', message: expect.any(String) } });
}

describe('rate limits', () => {
  let herald: Herald;
  beforeAll(async () => {
    herald = await startHerald({ RATE_LIMIT_PER_MINUTE: '10', AUTH_FAILURE_LIMIT_PER_MINUTE: '3', TRUST_PROXY: 'true' });
  });
  afterAll(async () => {
    await herald?.stop();
  });

  it('RATE_LIMIT_PER_MINUTE counts a key across all routes: the request after the limit is 429, whichever the route', async () => {
    for (let i = 0; i < 10; i++) {
      const res = await herald.http.get(ROUTES[i % ROUTES.length]).set('Authorization', `Bearer ${ADMIN_KEY}`);
      expect(res.status).toBe(ROUTES[i % ROUTES.length] === '/v1/recipients/nobody' ? 404 : 200);
      expect(res.headers['x-ratelimit-remaining']).toBe(String(9 - i));
    }
    expectRateLimited(await herald.http.get(ROUTES[0]).set('Authorization', `Bearer ${ADMIN_KEY}`));
    expectRateLimited(await herald.http.get(ROUTES[3]).set('Authorization', `Bearer ${ADMIN_KEY}`));
    // Another key has its own budget.
    const other = await herald.app.get(CreateApiKey).execute({ name: 'other', scopes: ['admin'] });
    expect((await herald.http.get(ROUTES[1]).set('Authorization', `Bearer ${other.secret}`)).status).toBe(200);
  });

  it('limits unknown keys per client address, without a key look-up once the address is over its limit', async () => {
    const from = (address: string, key: string) => herald.http.get(ROUTES[0]).set('X-Forwarded-For', address).set('Authorization', `Bearer ${key}`);
    for (let i = 0; i < 3; i++) expect((await from('203.0.113.5', `hk_wrong_${i}_${'z'.repeat(30)}`)).status).toBe(401);
    for (let i = 3; i < 6; i++) expectRateLimited(await from('203.0.113.5', `hk_wrong_${i}_${'z'.repeat(30)}`));
    // The refused attempts were not counted (nor looked up): the address stays at its limit.
    const { rows } = await herald.db.query(`SELECT hits FROM rate_limit_counters WHERE key = 'auth-failures:203.0.113.5'`);
    expect(rows).toEqual([{ hits: 3 }]);
    // Another address still gets its answer.
    expect((await from('203.0.113.6', `hk_wrong_x_${'z'.repeat(30)}`)).status).toBe(401);
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

describe('rate limits across api processes', () => {
  const children: ChildProcess[] = [];
  let db: { url: string; drop: () => Promise<void> };
  beforeAll(async () => {
    if (!existsSync(MAIN)) throw new Error('dist/ is missing: `npm test` builds it first (or run `npm run build`)');
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await Promise.all(
      children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGKILL');
          }),
      ),
    );
    await db?.drop();
  });

  it('two api processes on one database share one limit per key', async () => {
    const key = `hk_shared_limit_${'k'.repeat(24)}`;
    const ports = [await freePort(), await freePort()];
    const outputs = ['', ''];
    ports.forEach((port, i) => {
      const child = spawn('node', [MAIN], {
        cwd: ROOT,
        env: {
          PATH: process.env.PATH!,
          HOME: process.env.HOME ?? '/tmp',
          HERALD_ROLES: 'api',
          HOST: '127.0.0.1',
          PORT: String(port),
          DATABASE_URL: db.url,
          DATABASE_POOL_SIZE: '2',
          AWS_REGION: process.env.AWS_REGION!,
          AWS_ACCESS_KEY_ID: 'test',
          AWS_SECRET_ACCESS_KEY: 'test',
          SQS_ENDPOINT: process.env.SQS_ENDPOINT!,
          SQS_CREATE_QUEUES: 'true',
          SQS_QUEUE_PREFIX: `rl${ports[0]}-`,
          HERALD_BOOTSTRAP_API_KEY: key,
          LINK_SIGNING_SECRET: 'rate-limit-test-link-secret-0123456789',
          PUBLIC_URL: 'https://herald.test',
          RATE_LIMIT_PER_MINUTE: '6',
          LOG_LEVEL: 'warn',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child.stdout!.on('data', (d) => (outputs[i] += d));
      child.stderr!.on('data', (d) => (outputs[i] += d));
      children.push(child);
    });
    const bases = ports.map((port) => `http://127.0.0.1:${port}`);
    for (const [i, base] of bases.entries()) {
      await eventually(async () => ((await fetch(`${base}/health/ready`)).ok ? true : undefined), 60_000, `api process ${i} to be ready:\n${outputs[i]}`);
    }
    const get = (i: number) => fetch(`${bases[i % 2]}${ROUTES[i % ROUTES.length]}`, { headers: { Authorization: `Bearer ${key}` } });
    for (let i = 0; i < 6; i++) expect((await get(i)).status).toBe(ROUTES[i % ROUTES.length] === '/v1/recipients/nobody' ? 404 : 200);
    for (const i of [6, 7]) {
      const res = await get(i);
      expectRateLimited({ status: res.status, headers: Object.fromEntries(res.headers), body: await res.json() });
    }
  }, 120_000);
});
