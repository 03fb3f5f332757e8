import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHeraldApp } from '../create-app';
import { ConfigError, loadConfig } from '../infrastructure/config/load-config';
import { exampleCommand, startExampleDynamoDb } from './dynamodb-local';
import { startLocalPostgres } from './embedded-postgres';
import { localBanner } from './banner';
import { startInbox, startSmtpCatcher } from './smtp-catcher';

/**
 * `npm run local`: the whole service in one process on embedded stand-ins. Each stand-in is skipped
 * when its real setting is given (DATABASE_URL, SQS_ENDPOINT, SMTP_URL).
 */
async function main(): Promise<void> {
  const root = process.cwd();
  const stateDir = join(root, '.local');
  mkdirSync(stateDir, { recursive: true });
  const env = process.env;
  const num = (name: string, fallback: number) => Number(env[name] ?? fallback);
  const stops: Array<() => Promise<unknown>> = [];
  const notes: string[] = [];

  let databaseUrl = env.DATABASE_URL;
  if (!databaseUrl) {
    const pg = await startLocalPostgres(join(stateDir, 'pg'), num('LOCAL_PG_PORT', 54329));
    stops.push(() => pg.stop());
    databaseUrl = pg.url;
    notes.push(`Postgres    ${databaseUrl}  (embedded; data kept in .local/pg)`);
  } else notes.push(`Postgres    DATABASE_URL as given`);

  let sqsEndpoint = env.SQS_ENDPOINT;
  if (!sqsEndpoint) {
    const { startFauxqs } = await import('fauxqs');
    const sqs = await startFauxqs({ port: num('LOCAL_SQS_PORT', 4566), host: '127.0.0.1', logger: false });
    stops.push(() => sqs.stop());
    sqsEndpoint = sqs.address;
    notes.push(`SQS         ${sqsEndpoint}  (fauxqs emulator, in memory)`);
  } else notes.push(`SQS         SQS_ENDPOINT as given`);

  let smtpUrl = env.SMTP_URL;
  let inboxUrl: string | null = null;
  if (!smtpUrl) {
    const catcher = await startSmtpCatcher({ port: num('LOCAL_SMTP_PORT', 1025) });
    const inboxPort = num('LOCAL_INBOX_PORT', 8025);
    const inbox = await startInbox(catcher, inboxPort);
    stops.push(() => catcher.close(), () => new Promise((r) => inbox.close(r)));
    smtpUrl = catcher.url;
    inboxUrl = `http://localhost:${inboxPort}`;
    notes.push(`SMTP        ${smtpUrl}  (catcher; web inbox ${inboxUrl}, JSON ${inboxUrl}/messages)`);
  } else notes.push(`SMTP        SMTP_URL as given`);

  // DynamoDB Streams: an example table whose changes become notifications through examples/stream-rules.yaml.
  let streamEnv: Record<string, string> = {};
  let putItem: string | null = null;
  if (!env.STREAM_SOURCES) {
    const example = await startExampleDynamoDb('us-east-1', (line) => notes.push(line));
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

  const port = num('PORT', 3000);
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
    ...streamEnv,
    ...env,
    DATABASE_URL: databaseUrl,
    SQS_ENDPOINT: sqsEndpoint,
    SMTP_URL: smtpUrl,
    HERALD_BOOTSTRAP_API_KEY: apiKey,
    LINK_SIGNING_SECRET: linkSecret,
    PORT: String(port),
  });
  // The SDK reads credentials from the environment; the emulator accepts any.
  process.env.AWS_ACCESS_KEY_ID ??= 'local';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
  const app = await createHeraldApp(config);
  await app.listen(port);

  const api = `http://localhost:${port}`;
  process.stdout.write(localBanner({ api, inboxUrl, apiKey, keyFrom: env.HERALD_BOOTSTRAP_API_KEY ? 'env' : 'file', notes, putItem }));

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await app.close();
    for (const s of stops.reverse()) await s().catch(() => undefined);
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) process.stderr.write(`${err.message}\n`);
  else process.stderr.write(`Local mode failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
