import 'reflect-metadata';
import type { Server } from 'node:http';
import { createHeraldApp } from './create-app';
import { ConfigError, loadConfig } from './infrastructure/config/load-config';
import { writeOnlyJsonLines } from './infrastructure/logging/json-only-output';
import { JsonLogger } from './infrastructure/logging/json-logger';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`Herald cannot start.\n${err.message}\nSee the configuration table in README.md.\n`);
      process.exit(1);
    }
    throw err;
  }
  const logger = new JsonLogger(config.log.level);
  writeOnlyJsonLines(process.env, logger);
  const app = await createHeraldApp(config, logger);
  // Stop consuming, finish in-flight work, close pools, then exit 0 (ECS sends SIGTERM before SIGKILL).
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      app.close().then(
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

main().catch((err: unknown) => {
  // A JSON line like every other (pino's fatal level), written at once: the process exits next.
  const line = { level: 60, time: Date.now(), service: 'herald', pid: process.pid, context: 'Main', msg: 'Herald failed to start', err: err instanceof Error ? (err.stack ?? err.message) : String(err) };
  process.stderr.write(`${JSON.stringify(line)}\n`);
  process.exit(1);
});
