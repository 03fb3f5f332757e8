import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { order, orderRules, startTestDynamoDb, writeRules, type TestDynamoDb } from '../support/dynamodb';
import { eventually } from '../support/herald-harness';
import { createTestDatabase } from '../support/test-database';

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..');
const MAIN = join(ROOT, 'dist', 'src', 'main.js');
const CLI = join(ROOT, 'dist', 'src', 'cli', 'main.js');
/** Only what a shell needs: none of Herald's settings. */
const BARE_ENV = { PATH: process.env.PATH!, HOME: process.env.HOME ?? '/tmp' };

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

async function exitOf(cmd: string, args: string[], env: Record<string, string>) {
  try {
    const { stdout, stderr } = await run(cmd, args, { cwd: ROOT, env, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('the built service as a process', () => {
  beforeAll(() => {
    if (!existsSync(MAIN)) throw new Error('dist/ is missing: `npm test` builds it first (or run `npm run build`)');
  });

  it('npm start with an empty environment exits non-zero naming every missing setting', async () => {
    const res = await exitOf('npm', ['start', '--silent'], BARE_ENV);
    expect(res.code).not.toBe(0);
    for (const name of ['DATABASE_URL', 'AWS_REGION', 'SMTP_URL', 'EMAIL_FROM', 'LINK_SIGNING_SECRET', 'PUBLIC_URL']) expect(res.stderr).toContain(`${name} is required`);
  });

  it('an api or worker process without PUBLIC_URL, or with a plain http one, exits at once naming it', async () => {
    const complete = {
      ...BARE_ENV,
      DATABASE_URL: 'postgres://x@127.0.0.1:1/x',
      AWS_REGION: 'eu-west-1',
      SMTP_URL: 'smtp://127.0.0.1:1',
      EMAIL_FROM: 'Herald <no-reply@herald.test>',
      LINK_SIGNING_SECRET: 'process-test-link-secret-0123456789',
    };
    for (const roles of ['api', 'worker:email']) {
      const missing = await exitOf('node', [MAIN], { ...complete, HERALD_ROLES: roles });
      expect(missing.code).toBe(1);
      expect(missing.stderr).toContain('PUBLIC_URL is required');
    }
    const plain = await exitOf('node', [MAIN], { ...complete, HERALD_ROLES: 'api', PUBLIC_URL: 'http://herald.example.com' });
    expect(plain.code).toBe(1);
    expect(plain.stderr).toContain('PUBLIC_URL must use https:');
    expect(plain.stderr).toContain('PUBLIC_URL_ALLOW_HTTP=true');
    // Nothing else was wrong: the only problem named is PUBLIC_URL.
    expect(plain.stderr).not.toMatch(/- (?!PUBLIC_URL)[A-Z_]+ (is required|must)/);
  });

  it('rejects an unknown role by name', async () => {
    const res = await exitOf('node', [MAIN], { ...BARE_ENV, HERALD_ROLES: 'api,worker:pigeon', DATABASE_URL: 'postgres://x@localhost/x', AWS_REGION: 'eu-west-1' });
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('HERALD_ROLES: unknown role(s) worker:pigeon');
  });

  describe('with a database', () => {
    let db: { url: string; drop: () => Promise<void> };
    beforeAll(async () => {
      db = await createTestDatabase();
    });
    afterAll(async () => {
      await db.drop();
    });

    it('migrates and creates an API key from the CLI, storing only its hash', async () => {
      const env = { ...BARE_ENV, DATABASE_URL: db.url };
      const migrated = await exitOf('node', [CLI, 'migrate'], env);
      expect(migrated.code).toBe(0);
      expect(migrated.stdout).toContain('InitialSchema');
      const created = await exitOf('node', [CLI, 'api-key', 'create', '--scopes', 'notifications:write,notifications:read', '--name', 'ci'], env);
      expect(created.code).toBe(0);
      const secret = created.stdout.trim().split('\n').pop()!;
      expect(secret).toMatch(/^hk_[A-Za-z0-9_-]{40,}$/);
      const client = new Client({ connectionString: db.url });
      await client.connect();
      const { rows } = await client.query(`SELECT name, scopes, key_hash FROM api_keys`);
      await client.end();
      expect(rows).toEqual([{ name: 'ci', scopes: ['notifications:write', 'notifications:read'], key_hash: createHash('sha256').update(secret).digest('hex') }]);
      expect(JSON.stringify(rows)).not.toContain(secret);
      const bad = await exitOf('node', [CLI, 'api-key', 'create', '--scopes', 'everything'], env);
      expect(bad.code).toBe(1);
      expect(bad.stderr).toContain('Unknown scope(s): everything');
    });

    it('runs a single role with health endpoints and the API, and stops on SIGTERM', async () => {
      const port = await freePort();
      const key = `hk_process_test_${'k'.repeat(24)}`;
      const child = spawn('node', [MAIN], {
        cwd: ROOT,
        env: {
          ...BARE_ENV,
          HERALD_ROLES: 'api',
          PORT: String(port),
          DATABASE_URL: db.url,
          AWS_REGION: process.env.AWS_REGION!,
          AWS_ACCESS_KEY_ID: 'test',
          AWS_SECRET_ACCESS_KEY: 'test',
          SQS_ENDPOINT: process.env.SQS_ENDPOINT!,
          SQS_CREATE_QUEUES: 'true',
          SQS_QUEUE_PREFIX: `proc${port}-`,
          HERALD_BOOTSTRAP_API_KEY: key,
          LINK_SIGNING_SECRET: 'process-test-link-secret-0123456789',
          PUBLIC_URL: 'https://herald.example.com',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (d) => (output += d));
      child.stderr.on('data', (d) => (output += d));
      try {
        const base = `http://127.0.0.1:${port}`;
        await eventually(async () => ((await fetch(`${base}/health/ready`)).ok ? true : undefined), 30_000, 'the process to be ready');
        const res = await fetch(`${base}/v1/notifications`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
          body: JSON.stringify({ recipient: { email: 'p@example.com' }, channels: ['email'], content: { email: { subject: 's', text: 't' } } }),
        });
        expect(res.status).toBe(202);
        // Idle connections are kept longer than a load balancer's 60 s.
        expect(res.headers.get('keep-alive')).toBe('timeout=65');
        // Logs are JSON lines.
        const lines = output.split('\n').filter((l) => l.trim().startsWith('{'));
        expect(lines.length).toBeGreaterThan(0);
        expect(JSON.parse(lines[0])).toMatchObject({ service: 'herald' });
      } finally {
        child.kill('SIGTERM');
      }
      const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
      expect(code).toBe(0);
    });
  });

  describe('a stream-only process', () => {
    let db: { url: string; drop: () => Promise<void> };
    let dynamo: TestDynamoDb;
    beforeAll(async () => {
      [db, dynamo] = await Promise.all([createTestDatabase(), startTestDynamoDb()]);
      const migrated = await exitOf('node', [CLI, 'migrate'], { ...BARE_ENV, DATABASE_URL: db.url });
      expect(migrated.code).toBe(0);
    }, 180_000);
    afterAll(async () => {
      await dynamo?.stop();
      await db?.drop();
    });

    it('starts with no SQS setting at all, reads the stream and commits its notifications', async () => {
      const table = await dynamo.createTable();
      const port = await freePort();
      // No SQS_ENDPOINT, no queue setting: the SDK would go to AWS itself if the process asked SQS anything.
      const child = spawn('node', [MAIN], {
        cwd: ROOT,
        env: {
          ...BARE_ENV,
          NODE_ENV: 'production',
          HERALD_ROLES: 'stream',
          PORT: String(port),
          DATABASE_URL: db.url,
          AWS_REGION: process.env.AWS_REGION!,
          AWS_ACCESS_KEY_ID: 'test',
          AWS_SECRET_ACCESS_KEY: 'test',
          DYNAMODB_ENDPOINT: dynamo.local.endpoint,
          STREAM_SOURCES: table.streamArn,
          STREAM_START_POSITION: 'TRIM_HORIZON',
          EVENT_RULES_FILE: writeRules(orderRules(table.tableName)),
          STREAM_POLL_INTERVAL: '100ms',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (d) => (output += d));
      child.stderr.on('data', (d) => (output += d));
      const exited = new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
      const client = new Client({ connectionString: db.url });
      await client.connect();
      try {
        const base = `http://127.0.0.1:${port}`;
        await eventually(async () => {
          if (child.exitCode !== null) throw new Error(`the stream process exited with ${child.exitCode}:\n${output}`);
          return (await fetch(`${base}/health/ready`).catch(() => null))?.ok ? true : undefined;
        }, 60_000, 'the stream process to be ready');
        const ready = (await (await fetch(`${base}/health/ready`)).json()) as { info: Record<string, unknown> };
        // Readiness does not depend on a queue this process never uses.
        expect(Object.keys(ready.info).sort()).toEqual(['database', 'stream']);
        await dynamo.putItems(table.tableName, Array.from({ length: 50 }, (_, i) => order(i)));
        await eventually(async () => {
          const { rows } = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM notifications`);
          return rows[0].n >= 50 ? true : undefined;
        }, 60_000, '50 notifications');
        const { rows } = await client.query<{ n: number; orders: number }>(
          `SELECT count(*)::int AS n, count(DISTINCT metadata->>'orderId')::int AS orders FROM notifications WHERE metadata->>'rule' = 'order-created'`,
        );
        expect(rows[0]).toEqual({ n: 50, orders: 50 });
        const checkpoint = await client.query(`SELECT 1 FROM stream_shards WHERE stream_arn = $1 AND checkpoint IS NOT NULL`, [table.streamArn]);
        expect(checkpoint.rowCount).toBeGreaterThan(0);
        expect(output).not.toMatch(/SQS|GetQueueUrl/);
      } finally {
        await client.end();
        child.kill('SIGTERM');
      }
      expect(await exited).toBe(0);
    });
  });
});
