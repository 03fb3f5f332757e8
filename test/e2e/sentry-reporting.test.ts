import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../faults/support/child-processes';
import { eventually } from '../support/herald-harness';
import { launchHerald, spawnHerald, type LaunchedHerald } from '../support/herald-launcher';
import { HttpPeer, type PeerResponse } from '../support/peers/http-peer';
import { startSentryPeer } from '../support/peers/sentry-peer';
import { createTestDatabase } from '../support/test-database';

const MAIN = join(__dirname, '..', '..', 'dist', 'src', 'main.js');
const SESSION_TOKEN = `FQoGZXIvYXdz${randomBytes(12).toString('hex')}`;
const LINK_SECRET = `link-secret-${randomBytes(16).toString('hex')}`;

/**
 * In front of the SQS emulator: forwards every call, except ReceiveMessage, answered 500 with an error whose
 * message quotes a URL carrying a session token and the link-signing secret (as a misbehaving proxy might echo).
 */
function sqsProxy(target: string): Promise<HttpPeer> {
  return HttpPeer.start(async (req): Promise<PeerResponse> => {
    if (String(req.headers['x-amz-target'] ?? '') === 'AmazonSQS.ReceiveMessage') {
      return {
        status: 500,
        headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-query-error': 'InternalError;Receiver' },
        body: JSON.stringify({ __type: 'com.amazonaws.sqs#InternalError', message: `upstream https://sqs-gateway.internal/receive?X-Amz-Security-Token=${SESSION_TOKEN} failed (${LINK_SECRET})` }),
      };
    }
    const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => !['host', 'content-length', 'connection'].includes(k)).map(([k, v]) => [k, String(v)]));
    const res = await fetch(`${target}${req.url}`, { method: req.method, headers, body: req.method === 'GET' ? undefined : req.body });
    return { status: res.status, headers: { 'content-type': res.headers.get('content-type') ?? 'application/json' }, body: await res.text() };
  });
}

describe('errors reported to Sentry when SENTRY_DSN is set, redacted as the logs are', () => {
  it('a logged error carrying a token in a URL and a configured secret reaches the ingest with both censored', async () => {
    if (!existsSync(MAIN)) throw new Error('dist/ is missing: `npm test` builds it first (or run `npm run build`)');
    const sentry = await startSentryPeer('1', 'publickey0123');
    const proxy = await sqsProxy(process.env.SQS_ENDPOINT!);
    const db = await createTestDatabase();
    const port = await freePort();
    let herald: LaunchedHerald | null = null;
    try {
      herald = await launchHerald({
        entry: MAIN,
        isolatedEnv: true,
        env: {
          HERALD_ROLES: 'worker:email',
          PORT: String(port),
          DATABASE_URL: db.url,
          AWS_REGION: process.env.AWS_REGION!,
          AWS_ACCESS_KEY_ID: 'test',
          AWS_SECRET_ACCESS_KEY: 'test',
          SQS_ENDPOINT: proxy.url,
          SQS_CREATE_QUEUES: 'true',
          SQS_QUEUE_PREFIX: `sentry${randomBytes(3).toString('hex')}-`,
          SQS_WAIT_TIME_SECONDS: '1',
          SMTP_URL: 'smtp://127.0.0.1:1',
          EMAIL_FROM: 'Herald <no-reply@herald.test>',
          LINK_SIGNING_SECRET: LINK_SECRET,
          PUBLIC_URL: 'https://herald.example.com',
          SENTRY_DSN: sentry.dsn,
          SENTRY_ENVIRONMENT: 'e2e',
        },
        ready: { url: `http://127.0.0.1:${port}/health/live` },
        readyTimeoutMs: 60_000,
      });
      const event = await eventually(
        () => sentry.envelopes().flat().find((item) => item.header.type === 'event' && String(item.payload.message ?? '').includes('upstream')),
        45_000,
        'an error event at the Sentry ingest',
      );
      expect(event.payload).toMatchObject({ level: 'error', environment: 'e2e', platform: 'node' });
      expect(event.payload.message).toContain('X-Amz-Security-Token=[redacted]');
      expect(event.payload.message).toContain('([redacted])');
      const everything = JSON.stringify(sentry.envelopes());
      expect(everything).not.toContain(SESSION_TOKEN);
      expect(everything).not.toContain(LINK_SECRET);
      // The log line is censored the same way.
      const line = await eventually(() => herald!.output().split('\n').find((l) => l.includes('"level":50') && l.includes('upstream')), 10_000, 'the error log line');
      expect(line).toContain('X-Amz-Security-Token=[redacted]');
      expect(herald.output()).not.toContain(SESSION_TOKEN);
      expect(herald.output()).not.toContain(LINK_SECRET);
    } finally {
      await herald?.stop();
      await proxy.close();
      await sentry.close();
      await db.drop();
    }
  }, 120_000);

  it.each(['exception', 'rejection'])('an uncaught %s is reported, scrubbed, before the process exits 1', async (fail) => {
    const sentry = await startSentryPeer('7', 'publickey0456');
    const token = `ya29.${randomBytes(12).toString('hex')}`;
    try {
      const child = spawnHerald({
        entry: join(__dirname, '..', 'fixtures', 'sentry-unhandled.ts'),
        nodeArgs: ['-r', join(__dirname, '..', 'support', 'ts-register.cjs')],
        isolatedEnv: true,
        env: { HERALD_ROLES: 'api', DATABASE_URL: 'postgres://h@127.0.0.1/unused', AWS_REGION: 'us-east-1', LINK_SIGNING_SECRET: LINK_SECRET, PUBLIC_URL: 'https://herald.test', SENTRY_DSN: sentry.dsn, FAIL: fail, LEAKED_TOKEN: token },
      });
      expect((await child.exited).code).toBe(1);
      const events = sentry.envelopes().flat().filter((item) => item.header.type === 'event');
      expect(events).toHaveLength(1);
      const exception = events[0].payload.exception.values[0];
      expect(exception.value).toBe('provider call https://api.provider.test/v1/send?access_token=[redacted] failed');
      expect(exception.mechanism).toMatchObject({ handled: false });
      expect(JSON.stringify(sentry.envelopes())).not.toContain(token);
    } finally {
      await sentry.close();
    }
  }, 60_000);
});

