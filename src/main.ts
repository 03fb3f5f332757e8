import 'reflect-metadata';
import type { Server } from 'node:http';
import { createHeraldApp } from './create-app';
import { ConfigError } from './infrastructure/config/config-error';
import { loadConfigWithSecrets } from './infrastructure/config/load-config-with-secrets';
import { startSentry } from './infrastructure/error-reporting/sentry.error-reporter';
import type { ErrorReporter } from './infrastructure/logging/error-reporter';
import { JsonLogger } from './infrastructure/logging/json-logger';

/** How long a stopping process waits for queued error reports to be sent. */
const REPORT_FLUSH_MS = 2_000;
let reporter: ErrorReporter | null = null;

async function main(): Promise<void> {
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
  const app = await createHeraldApp(config, new JsonLogger(config.log.level, undefined, reporter ?? undefined, config.secretValues));
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
  process.stderr.write(`Herald failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  if (reporter) {
    reporter.report('fatal', `Herald failed to start: ${err instanceof Error ? err.message : String(err)}`, {}, err instanceof Error ? err : undefined);
    await reporter.flush(REPORT_FLUSH_MS).catch(() => undefined);
  }
  process.exit(1);
});
