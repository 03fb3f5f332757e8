import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startSmtpCatcher, type SmtpCatcher } from '../../src/local/smtp-catcher';
import { freePort } from '../faults/support/child-processes';
import { eventually } from '../support/herald-harness';
import { launchHerald, spawnHerald } from '../support/herald-launcher';
import { startAwsSecretsPeer, type AwsSecretsPeer } from '../support/peers/aws-secrets-peer';
import { createTestDatabase } from '../support/test-database';

const MAIN = join(__dirname, '..', '..', 'dist', 'src', 'main.js');
const SMTP_PASSWORD = `smtp-pass-${randomBytes(6).toString('hex')}`;
const API_KEY = `hk_refs_admin_${'r'.repeat(24)}`;

describe('the built service with its secrets given as references to SSM and Secrets Manager', () => {
  let aws: AwsSecretsPeer;
  let smtp: SmtpCatcher;
  let db: { url: string; drop: () => Promise<void> };
  let base: Record<string, string>;

  beforeAll(async () => {
    if (!existsSync(MAIN)) throw new Error('dist/ is missing: `npm test` builds it first (or run `npm run build`)');
    aws = await startAwsSecretsPeer();
    aws.parameters.set('/herald/smtp-password', { value: SMTP_PASSWORD });
    aws.secrets.set('herald/app', JSON.stringify({ link: `link-secret-from-secrets-manager-${'z'.repeat(16)}` }));
    smtp = await startSmtpCatcher({ auth: { user: 'herald', pass: SMTP_PASSWORD } });
    db = await createTestDatabase();
    base = {
      HERALD_ROLES: 'api,relay,worker:email',
      DATABASE_URL: db.url,
      AWS_REGION: process.env.AWS_REGION!,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_ENDPOINT_URL_SSM: aws.url,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: aws.url,
      SQS_ENDPOINT: process.env.SQS_ENDPOINT!,
      SQS_CREATE_QUEUES: 'true',
      SQS_QUEUE_PREFIX: `refs${randomBytes(3).toString('hex')}-`,
      SQS_WAIT_TIME_SECONDS: '1',
      SMTP_URL: `smtp://herald@127.0.0.1:${smtp.port}?tls=none`,
      SMTP_PASSWORD: 'ssm:/herald/smtp-password',
      EMAIL_FROM: 'Herald <no-reply@herald.test>',
      LINK_SIGNING_SECRET: 'secretsmanager:herald/app#link',
      HERALD_BOOTSTRAP_API_KEY: API_KEY,
      PUBLIC_URL: 'https://herald.example.com',
      RELAY_POLL_INTERVAL: '50ms',
      LOG_LEVEL: 'debug',
    };
  });
  afterAll(async () => {
    await aws.close();
    await smtp.close();
    await db.drop();
  });

  it('reads the SMTP password from SSM at start and logs in to the SMTP server with it', async () => {
    const port = await freePort();
    const herald = await launchHerald({ entry: MAIN, isolatedEnv: true, env: { ...base, PORT: String(port) }, ready: { url: `http://127.0.0.1:${port}/health/ready` }, readyTimeoutMs: 60_000 });
    try {
      const res = await fetch(`http://127.0.0.1:${port}/v1/notifications`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${API_KEY}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ recipient: { email: 'ada@example.com' }, channels: ['email'], content: { email: { subject: 'Hello', text: 'Sent with a password from SSM' } } }),
      });
      expect(res.status).toBe(202);
      const mail = await eventually(() => smtp.accepted.find((m) => m.to.includes('ada@example.com')), 30_000, 'the email');
      expect(mail.subject).toBe('Hello');
      const targets = aws.peer.received.map((r) => r.headers['x-amz-target']);
      expect(targets).toEqual(expect.arrayContaining(['AmazonSSM.GetParameter', 'secretsmanager.GetSecretValue']));
      expect(herald.output()).not.toContain(SMTP_PASSWORD);
      expect(herald.output()).not.toContain('link-secret-from-secrets-manager');
    } finally {
      await herald.stop();
    }
  }, 90_000);

  it('a missing parameter stops the start, naming the setting and the reference but no value, and the process exits 1', async () => {
    const herald = spawnHerald({
      entry: MAIN,
      isolatedEnv: true,
      env: { ...base, PORT: String(await freePort()), SMTP_PASSWORD: 'ssm:/herald/missing-password', LINK_SIGNING_SECRET: 'secretsmanager:herald/absent' },
    });
    const exit = await herald.exited;
    expect(exit.code).toBe(1);
    const output = herald.output();
    expect(output).toContain('Herald cannot start.');
    expect(output).toContain('SMTP_PASSWORD: cannot read ssm:/herald/missing-password (ParameterNotFound)');
    expect(output).toContain('LINK_SIGNING_SECRET: cannot read secretsmanager:herald/absent (ResourceNotFoundException)');
    expect(output).not.toContain(SMTP_PASSWORD);
  }, 60_000);
});
