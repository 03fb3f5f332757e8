import 'reflect-metadata';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { createHeraldApp } from '../../src/create-app';
import { loadConfig } from '../../src/infrastructure/config/load-config';
import { launchHerald, type LaunchedHerald } from './herald-launcher';

/** A Herald in its own process, run from the TypeScript sources and configured by its environment: a test can kill it without any goodbye. */
export type HeraldProcess = Pick<LaunchedHerald, 'child' | 'output' | 'kill' | 'stop'>;

/** The line the process writes once it is ready; JSON like every other line it writes. */
const READY = JSON.stringify({ msg: 'HERALD_READY' });

/**
 * `logs`: the process logs as a deployed Herald does (JSON lines on standard output, at LOG_LEVEL), and
 * everything it writes on standard output and standard error goes there too. Without it, it logs nothing.
 */
export function startHeraldProcess(env: Record<string, string>, readyTimeoutMs = 120_000, logs?: Writable): Promise<HeraldProcess> {
  return launchHerald({
    entry: __filename,
    nodeArgs: ['-r', join(__dirname, 'ts-register.cjs')],
    env: { ...env, HERALD_TEST_CHILD: '1', HERALD_TEST_CHILD_LOGS: logs ? '1' : '0' },
    ready: { output: READY },
    readyTimeoutMs,
    log: logs,
  });
}

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const app = await createHeraldApp(config, process.env.HERALD_TEST_CHILD_LOGS === '1' ? undefined : false);
  await app.init();
  // SIGTERM shuts down as main.ts does; SIGKILL (kill()) leaves without a goodbye.
  process.once('SIGTERM', () => {
    app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
  process.stdout.write(`${READY}\n`);
}

if (process.env.HERALD_TEST_CHILD === '1' && require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  });
}
