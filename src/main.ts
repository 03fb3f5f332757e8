import 'reflect-metadata';
import { createHeraldApp } from './create-app';
import { ConfigError, loadConfig } from './infrastructure/config/load-config';

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
  const app = await createHeraldApp(config);
  // Stop consuming, finish in-flight work, close pools, then exit 0 (ECS sends SIGTERM before SIGKILL).
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      app.close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    });
  }
  await app.listen(config.http.port);
}

main().catch((err: unknown) => {
  process.stderr.write(`Herald failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
