import { randomBytes } from 'node:crypto';
import type { INestApplication, LoggerService } from '@nestjs/common';
import { Client } from 'pg';
import request from 'supertest';
import { createHeraldApp } from '../../src/create-app';
import type { HeraldConfig } from '../../src/infrastructure/config/herald-config';
import { loadConfig } from '../../src/infrastructure/config/load-config';
import { startSmtpCatcher, type SmtpCatcher } from '../../src/local/smtp-catcher';
import { LOCAL_PEERS_ALLOWED } from './provider-config';
import { createTestDatabase } from './test-database';

export const ADMIN_KEY = `hk_test_admin_${'x'.repeat(24)}`;
export const LINK_SECRET = `link-secret-${'y'.repeat(32)}`;

export interface Herald {
  app: INestApplication;
  config: HeraldConfig;
  http: ReturnType<typeof request>;
  db: Client;
  smtp: SmtpCatcher;
  env: Record<string, string>;
  database: { url: string; drop: () => Promise<void> };
  /** keepDatabase: leave the database for another Herald (a restart). */
  stop(options?: { keepDatabase?: boolean }): Promise<void>;
}

/**
 * A whole Herald in this process on real parts: its own Postgres database (migrated), its own SQS queues on the
 * emulator, and an SMTP server on a port. Settings can be overridden per test.
 */
export async function startHerald(
  overrides: Record<string, string> = {},
  options: { database?: { url: string; drop: () => Promise<void> }; logger?: LoggerService | false } = {},
): Promise<Herald> {
  // A copy of the migrated template: Herald applies its migrations at start and finds them there.
  const database = options.database ?? (await createTestDatabase(undefined, { migrated: true }));
  const smtp = await startSmtpCatcher();
  const env: Record<string, string> = {
    HERALD_ROLES: 'all',
    DATABASE_URL: database.url,
    DATABASE_POOL_SIZE: '5',
    AWS_REGION: process.env.AWS_REGION!,
    SQS_ENDPOINT: process.env.SQS_ENDPOINT!,
    SQS_QUEUE_PREFIX: `t${randomBytes(4).toString('hex')}-`,
    SQS_CREATE_QUEUES: 'true',
    SQS_WAIT_TIME_SECONDS: '1',
    SQS_VISIBILITY_TIMEOUT_SECONDS: '5',
    SMTP_URL: smtp.url,
    EMAIL_FROM: 'Herald <no-reply@herald.test>',
    HERALD_BOOTSTRAP_API_KEY: ADMIN_KEY,
    LINK_SIGNING_SECRET: LINK_SECRET,
    // Links point at no real host; plain http is allowed only because it is asked for.
    PUBLIC_URL: 'http://localhost:3000',
    PUBLIC_URL_ALLOW_HTTP: 'true',
    RELAY_POLL_INTERVAL: '50ms',
    RETRY_SCHEDULE: '200ms,400ms,800ms',
    LEASE_SWEEP_INTERVAL: '200ms',
    LOG_LEVEL: 'warn',
    PORT: '0',
    // The test peers listen on 127.0.0.1 over plain http: tests opt in to reaching them, as development does.
    ...LOCAL_PEERS_ALLOWED,
    ...overrides,
  };
  let app: INestApplication | undefined;
  let db: Client | undefined;
  let config: HeraldConfig;
  try {
    config = loadConfig(env);
    app = await createHeraldApp(config, options.logger ?? false);
    await app.init();
    db = new Client({ connectionString: database.url });
    await db.connect();
  } catch (err) {
    // A Herald that failed to start must not leave servers open: they would keep the test run alive.
    await app?.close().catch(() => undefined);
    await db?.end().catch(() => undefined);
    await smtp.close();
    if (!options.database) await database.drop().catch(() => undefined);
    throw err;
  }
  return {
    app,
    config,
    env,
    http: request(app.getHttpServer()),
    db,
    smtp,
    database,
    stop: async ({ keepDatabase = false } = {}) => {
      await app.close();
      await db.end();
      await smtp.close();
      if (!keepDatabase) await database.drop();
    },
  };
}

/** Polls until `check` returns a value other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined> | T | undefined, timeoutMs = 15_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
