import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { generateVAPIDKeys } from 'web-push';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHeraldApp } from '../create-app';
import { ConfigError, loadConfig } from '../infrastructure/config/load-config';
import { exampleCommand, startExampleDynamoDb } from './dynamodb-local';
import { startLocalPostgres } from './embedded-postgres';
import { localBanner } from './banner';
import { startInboxExample } from './inbox-example';
import { assertPortFree, describeFailure, listening } from './local-ports';
import { startInbox, startSmtpCatcher } from './smtp-catcher';

/** Thrown into the start-up when a signal asks to stop: the signal handler stops what was started. */
class Interrupted extends Error {}

const STAND_IN_HOST = '127.0.0.1';

const stops: Array<() => Promise<unknown>> = [];
let signalled = false;
let inFlight: Promise<unknown> = Promise.resolve();
let shuttingDown: Promise<void> | null = null;

/** Stops everything started, newest first (the API before the stand-ins it uses), then exits. */
function shutdown(code: number): Promise<void> {
  shuttingDown ??= (async () => {
    for (const stop of stops.splice(0).reverse()) await stop().catch(() => undefined);
    process.exit(code);
  })();
  return shuttingDown;
}

/** One start-up step. A signal during a step lets it finish (up to 15 s) so that what it starts is stopped too. */
async function step<T>(start: () => Promise<T>): Promise<T> {
  if (signalled) throw new Interrupted();
  const running = start();
  inFlight = running.catch(() => undefined);
  const result = await running;
  if (signalled) {
    // Registered by the caller after this returns; stop the newly started part from here instead.
    const stop = (result as { stop?: () => Promise<unknown> } | null)?.stop;
    if (stop) stops.push(stop);
    throw new Interrupted();
  }
  return result;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    signalled = true;
    void Promise.race([inFlight, new Promise((r) => setTimeout(r, 15_000))]).then(() => shutdown(0));
  });
}

/**
 * `npm run local`: the whole service in one process on embedded stand-ins. Each stand-in is skipped
 * when its real setting is given (DATABASE_URL, SQS_ENDPOINT, SMTP_URL). Every stand-in listens on
 * 127.0.0.1 only, and so does the API unless HOST says otherwise.
 */
async function main(): Promise<void> {
  const root = process.cwd();
  const stateDir = join(root, '.local');
  mkdirSync(stateDir, { recursive: true });
  const env = process.env;
  const num = (name: string, fallback: number) => Number(env[name] ?? fallback);
  const notes: string[] = [];

  let databaseUrl = env.DATABASE_URL;
  if (!databaseUrl) {
    const pgPort = num('LOCAL_PG_PORT', 54329);
    const pg = await step(() => listening('Embedded Postgres', STAND_IN_HOST, pgPort, 'LOCAL_PG_PORT', () => startLocalPostgres(join(stateDir, 'pg'), pgPort)));
    stops.push(() => pg.stop());
    databaseUrl = pg.url;
    notes.push(`Postgres    ${databaseUrl}  (embedded; data kept in .local/pg)`);
  } else notes.push(`Postgres    DATABASE_URL as given`);

  let sqsEndpoint = env.SQS_ENDPOINT;
  if (!sqsEndpoint) {
    const { buildApp } = await import('fauxqs');
    const sqsPort = num('LOCAL_SQS_PORT', 4566);
    // Built and started here rather than with startFauxqs, which always listens on every interface.
    const sqs = buildApp({ logger: false, host: STAND_IN_HOST });
    stops.push(() => sqs.close());
    sqsEndpoint = await step(() => listening('The SQS emulator', STAND_IN_HOST, sqsPort, 'LOCAL_SQS_PORT', () => sqs.listen({ port: sqsPort, host: STAND_IN_HOST })));
    notes.push(`SQS         ${sqsEndpoint}  (fauxqs emulator, in memory)`);
  } else notes.push(`SQS         SQS_ENDPOINT as given`);

  let smtpUrl = env.SMTP_URL;
  let inboxUrl: string | null = null;
  if (!smtpUrl) {
    const smtpPort = num('LOCAL_SMTP_PORT', 1025);
    const catcher = await step(() =>
      listening('The SMTP catcher', STAND_IN_HOST, smtpPort, 'LOCAL_SMTP_PORT', () => startSmtpCatcher({ port: smtpPort, host: STAND_IN_HOST })),
    );
    stops.push(() => catcher.close());
    const inboxPort = num('LOCAL_INBOX_PORT', 8025);
    const inbox = await step(() => listening('The inbox page', STAND_IN_HOST, inboxPort, 'LOCAL_INBOX_PORT', () => startInbox(catcher, inboxPort, STAND_IN_HOST)));
    stops.push(() => new Promise((r) => inbox.close(r)));
    smtpUrl = catcher.url;
    inboxUrl = `http://localhost:${inboxPort}`;
    notes.push(`SMTP        ${smtpUrl}  (catcher; web inbox ${inboxUrl}, JSON ${inboxUrl}/messages)`);
  } else notes.push(`SMTP        SMTP_URL as given`);

  // DynamoDB Streams: an example table whose changes become notifications through examples/stream-rules.yaml.
  let streamEnv: Record<string, string> = {};
  let putItem: string | null = null;
  if (!env.STREAM_SOURCES) {
    const example = await step(async () => {
      const started = await startExampleDynamoDb('us-east-1', (line) => notes.push(line));
      return started && { ...started, stop: () => started.local.stop() };
    });
    if (example) {
      stops.push(() => example.local.stop());
      streamEnv = example.env;
      putItem = exampleCommand(example.local.endpoint);
      notes.push(`DynamoDB    ${example.local.endpoint}  (DynamoDB Local, in memory; table ${example.table.tableName} feeds the stream role)`);
    }
  } else notes.push(`DynamoDB    STREAM_SOURCES as given`);

  const keyFile = join(stateDir, 'api-key');
  const apiKey = env.HERALD_BOOTSTRAP_API_KEY ?? (existsSync(keyFile) ? readFileSync(keyFile, 'utf8').trim() : `hk_local_${randomBytes(24).toString('base64url')}`);
  if (!env.HERALD_BOOTSTRAP_API_KEY) writeFileSync(keyFile, `${apiKey}\n`, { mode: 0o600 });

  const secretFile = join(stateDir, 'link-secret');
  const linkSecret =
    env.LINK_SIGNING_SECRET ?? (existsSync(secretFile) ? readFileSync(secretFile, 'utf8').trim() : randomBytes(32).toString('base64url'));
  if (!env.LINK_SIGNING_SECRET) writeFileSync(secretFile, `${linkSecret}\n`, { mode: 0o600 });
  // User tokens are on in local mode, so that a page under development can read its user's inbox (INBOX_ALLOWED_ORIGINS names it).
  const inboxSecretFile = join(stateDir, 'inbox-token-secret');
  const inboxTokenSecret =
    env.INBOX_TOKEN_SECRET ?? (existsSync(inboxSecretFile) ? readFileSync(inboxSecretFile, 'utf8').trim() : randomBytes(32).toString('base64url'));
  if (!env.INBOX_TOKEN_SECRET) writeFileSync(inboxSecretFile, `${inboxTokenSecret}\n`, { mode: 0o600 });

  // The in-app inbox example: its backend mints user tokens with the secret above; its page, on its own port, is an
  // origin the API grants CORS to (besides those INBOX_ALLOWED_ORIGINS names). Web push works with VAPID keys of its
  // own, kept with the rest.
  const vapidFile = join(stateDir, 'vapid.json');
  const vapid: { publicKey: string; privateKey: string } | null = env.VAPID_PUBLIC_KEY
    ? null
    : existsSync(vapidFile)
      ? (JSON.parse(readFileSync(vapidFile, 'utf8')) as { publicKey: string; privateKey: string })
      : generateVAPIDKeys();
  if (vapid) writeFileSync(vapidFile, `${JSON.stringify(vapid)}\n`, { mode: 0o600 });
  const examplePort = num('LOCAL_INAPP_EXAMPLE_PORT', 3001);
  const exampleUser = env.LOCAL_INAPP_EXAMPLE_USER ?? 'u-42';

  const port = num('PORT', 3000);
  const host = env.HOST?.trim() || STAND_IN_HOST;
  const config = loadConfig({
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    EMAIL_FROM: 'Herald <no-reply@herald.local>',
    SQS_CREATE_QUEUES: 'true',
    SQS_WAIT_TIME_SECONDS: '5',
    LOG_LEVEL: 'warn',
    // Development on one machine: chat and status webhooks may go to http listeners on this host or its network.
    OUTBOUND_ALLOW_HTTP: 'true',
    OUTBOUND_ALLOW_PRIVATE_NETWORKS: 'true',
    // Links in local mail point at this machine, over plain http.
    PUBLIC_URL: `http://localhost:${port}`,
    PUBLIC_URL_ALLOW_HTTP: 'true',
    ...(vapid ? { VAPID_PUBLIC_KEY: vapid.publicKey, VAPID_PRIVATE_KEY: vapid.privateKey, VAPID_SUBJECT: 'mailto:dev@herald.local' } : {}),
    ...streamEnv,
    ...env,
    DATABASE_URL: databaseUrl,
    SQS_ENDPOINT: sqsEndpoint,
    SMTP_URL: smtpUrl,
    HERALD_BOOTSTRAP_API_KEY: apiKey,
    LINK_SIGNING_SECRET: linkSecret,
    INBOX_TOKEN_SECRET: inboxTokenSecret,
    INBOX_ALLOWED_ORIGINS: [env.INBOX_ALLOWED_ORIGINS, `http://localhost:${examplePort}`, `http://127.0.0.1:${examplePort}`].filter(Boolean).join(','),
    PORT: String(port),
    HOST: host,
  });
  // The SDK reads credentials from the environment; the emulator accepts any.
  process.env.AWS_ACCESS_KEY_ID ??= 'local';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
  // Checked before the whole service is built, which takes a while.
  await step(() => assertPortFree('The API', host, port, 'PORT'));
  const { app } = await step(async () => {
    const created = await createHeraldApp(config);
    return { app: created, stop: () => created.close() };
  });
  stops.push(() => app.close());
  await step(() => listening('The API', host, port, 'PORT', () => app.listen(port, host)));

  const api = `http://localhost:${port}`;
  const example = await step(async () => {
    const started = await listening('The in-app inbox example', STAND_IN_HOST, examplePort, 'LOCAL_INAPP_EXAMPLE_PORT', () =>
      startInboxExample({
        heraldUrl: api,
        apiUrl: `http://${host === '0.0.0.0' || host === '::' ? STAND_IN_HOST : host}:${port}`,
        apiKey,
        tokenSecret: inboxTokenSecret,
        userId: exampleUser,
        host: STAND_IN_HOST,
        port: examplePort,
      }),
    );
    return { ...started, stop: () => started.close() };
  });
  stops.push(() => example.close());
  const inAppUrl = `http://localhost:${examplePort}`;
  process.stdout.write(localBanner({ api, inboxUrl, inApp: { url: inAppUrl, userId: exampleUser }, apiKey, keyFrom: env.HERALD_BOOTSTRAP_API_KEY ? 'env' : 'file', notes, putItem }));

}

main().catch((err: unknown) => {
  if (err instanceof Interrupted) return;
  if (err instanceof ConfigError) process.stderr.write(`${err.message}\n`);
  else process.stderr.write(`Local mode failed to start: ${describeFailure(err)}\n`);
  // What did start is stopped: no Postgres or DynamoDB Local is left behind.
  void shutdown(1);
});
