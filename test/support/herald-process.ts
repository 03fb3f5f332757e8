import 'reflect-metadata';
import { join } from 'node:path';
import { createHeraldApp } from '../../src/create-app';
import { loadConfig } from '../../src/infrastructure/config/load-config';
import { launchHerald, type LaunchedHerald } from './herald-launcher';

/** A Herald in its own process, run from the TypeScript sources and configured by its environment: a test can kill it without any goodbye. */
export type HeraldProcess = Pick<LaunchedHerald, 'child' | 'output' | 'kill'>;

export function startHeraldProcess(env: Record<string, string>, readyTimeoutMs = 120_000): Promise<HeraldProcess> {
  return launchHerald({
    entry: __filename,
    nodeArgs: ['-r', join(__dirname, 'ts-register.cjs')],
    env: { ...env, HERALD_TEST_CHILD: '1' },
    ready: { output: 'HERALD_READY' },
    readyTimeoutMs,
  });
}

async function main(): Promise<void> {
  const app = await createHeraldApp(loadConfig(process.env), false);
  await app.init();
  process.stdout.write('HERALD_READY\n');
}

if (process.env.HERALD_TEST_CHILD === '1' && require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  });
}
