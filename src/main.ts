import 'reflect-metadata';
import type { Server } from 'node:http';
import { createHeraldApp } from './create-app';
import { ConfigError } from './infrastructure/config/config-error';
import { loadConfigWithSecrets } from './infrastructure/config/load-config-with-secrets';
import { startSentry } from './infrastructure/error-reporting/sentry.error-reporter';
import type { ErrorReporter } from './infrastructure/logging/error-reporter';
import { JsonLogger } from './infrastructure/logging/json-logger';
import { AWS_SDK_NODE_NOTICE_SETTING, writeOnlyJsonLines } from './infrastructure/logging/json-only-output';

/** How long a stopping process waits for queued error reports to be sent. */
const REPORT_FLUSH_MS = 2_000;
let reporter: ErrorReporter | null = null;

async function main(): Promise<void> {
  // Secret references are read through the AWS SDK before the configuration is known: its Node.js notice is
  // turned off before any AWS client is built (writeOnlyJsonLines, below, does the rest).
  process.env[AWS_SDK_NODE_NOTICE_SETTING] ??= 'true';
  let config;
  try {
    config = await loadConfigWithSecrets(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`Herald cannot start.\n${err.message}\nSee the configuration table in README.md.\n`);
      process.exit(1);
    }
    throw err;
  }
  reporter = config.errorReporting.sentryDsn ? startSentry(config) : null;
  const logger = new JsonLogger(config.log.level, undefined, reporter ?? undefined, config.secretValues);
  writeOnlyJsonLines(process.env, logger);
  const app = await createHeraldApp(config, logger);
  // Stop consuming, finish in-flight work, close pools, then exit 0 (ECS sends SIGTERM before SIGKILL).
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      app
        .close()
        .then(() => reporter?.flush(REPORT_FLUSH_MS))
        .then(
          () => process.exit(0),
          () => process.exit(1),
        );
    });
  }
  if (config.http.host) await app.listen(config.http.port, config.http.host);
  else await app.listen(config.http.port);
  // Idle keep-alive connections outlive a load balancer's (an ALB keeps them 60 s): were Node to close one
  // first (its default is 5 s), the balancer could send a request down it as it closes and answer 502.
  const server = app.getHttpServer() as Server;
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
}

main().catch(async (err: unknown) => {
  // A JSON line like every other (pino's fatal level), written at once: the process exits next.
  const line = { level: 60, time: Date.now(), service: 'herald', pid: process.pid, context: 'Main', msg: 'Herald failed to start', err: err instanceof Error ? (err.stack ?? err.message) : String(err) };
  process.stderr.write(`${JSON.stringify(line)}\n`);
  if (reporter) {
    reporter.report('fatal', `Herald failed to start: ${err instanceof Error ? err.message : String(err)}`, {}, err instanceof Error ? err : undefined);
    await reporter.flush(REPORT_FLUSH_MS).catch(() => undefined);
  }
  process.exit(1);
});
