import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { eventually } from '../support/herald-harness';
import { spawnHerald, type LaunchedHerald } from '../support/herald-launcher';
import { LogCapture } from '../support/log-capture';
import { createTestDatabase } from '../support/test-database';

const MAIN = join(__dirname, '..', '..', 'src', 'main.ts');

/** Loaded before main.ts: a process warning of the kind Node prints as plain text, once Herald is up. */
function warningScript(): string {
  const path = join(mkdtempSync(join(tmpdir(), 'herald-warning-')), 'emit-warning.cjs');
  writeFileSync(path, `setTimeout(() => process.emitWarning('a library is unhappy\\nover two lines', { type: 'DeprecationWarning', code: 'DEP_TEST' }), 1500).unref();\n`);
  return path;
}

describe('a Herald process writes only JSON lines', () => {
  let database: { url: string; drop: () => Promise<void> };
  let herald: LaunchedHerald | null = null;

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await herald?.kill();
    await database.drop();
  });

  it('on stdout and stderr, from start to SIGTERM, with relay, SQS workers and the stream role, on the Node.js it runs on', async () => {
    const stdout = new LogCapture();
    const stderr = new LogCapture();
    herald = spawnHerald({
      entry: MAIN,
      nodeArgs: ['-r', join(__dirname, '..', 'support', 'ts-register.cjs'), '-r', warningScript()],
      isolatedEnv: true,
      env: {
        HOME: process.env.HOME ?? '/tmp',
        HERALD_ROLES: 'relay,worker:sms,worker:email,stream',
        DATABASE_URL: database.url,
        AWS_REGION: process.env.AWS_REGION!,
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
        SQS_ENDPOINT: process.env.SQS_ENDPOINT!,
        SQS_CREATE_QUEUES: 'true',
        SQS_QUEUE_PREFIX: `json${randomBytes(4).toString('hex')}-`,
        SQS_WAIT_TIME_SECONDS: '1',
        SMTP_URL: 'smtp://127.0.0.1:1',
        EMAIL_FROM: 'Herald <no-reply@herald.test>',
        SMS_PROVIDERS: 'sns',
        LINK_SIGNING_SECRET: 'json-lines-test-link-secret-0123456789',
        PUBLIC_URL: 'https://herald.example.com',
        PORT: '0',
        LOG_LEVEL: 'info',
      },
    });
    const child = herald.child;
    child.stdout!.on('data', (d: Buffer) => stdout.write(d));
    child.stderr!.on('data', (d: Buffer) => stderr.write(d));

    await eventually(() => (stdout.lines.some((l) => l.msg === 'Nest application successfully started') ? true : undefined), 120_000, `the process to start:\n${herald.output()}`);
    // The warning script has fired, and the workers have long-polled SQS.
    await eventually(() => (stdout.lines.some((l) => l.msg === 'process warning') ? true : undefined), 15_000, 'the process warning');
    await herald.stop();
    const exit = await herald.exited;
    stdout.end();
    stderr.end();

    expect(exit.code).toBe(0);
    expect(stdout.notJson).toEqual([]);
    expect(stderr.notJson).toEqual([]);
    expect(stdout.raw.join('\n')).not.toContain('NodeVersionSupportWarning');
    expect(stdout.lines.length).toBeGreaterThan(10);
    for (const line of [...stdout.lines, ...stderr.lines]) expect(line).toMatchObject({ service: 'herald', level: expect.any(Number) });
    // Node's warning became one JSON line, with the whole message.
    expect(stdout.lines.filter((l) => l.msg === 'process warning')).toEqual([
      expect.objectContaining({ level: 40, context: 'Process', name: 'DeprecationWarning', code: 'DEP_TEST', warning: 'a library is unhappy\nover two lines' }),
    ]);
  });
});
