import 'reflect-metadata';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createHeraldApp } from '../../src/create-app';
import { loadConfig } from '../../src/infrastructure/config/load-config';

/** A Herald in its own process, configured by its environment: a test can kill it without any goodbye. */
export interface HeraldProcess {
  child: ChildProcess;
  output: () => string;
  kill(): Promise<void>;
}

export async function startHeraldProcess(env: Record<string, string>, readyTimeoutMs = 120_000): Promise<HeraldProcess> {
  const child = spawn(process.execPath, ['-r', join(__dirname, 'ts-register.cjs'), __filename], {
    env: { ...process.env, ...env, HERALD_TEST_CHILD: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Herald process not ready in time:\n${output}`)), readyTimeoutMs);
    const onData = (d: Buffer) => {
      output = (output + d.toString()).slice(-20_000);
      if (output.includes('HERALD_READY')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Herald process exited with ${code}:\n${output}`));
    });
  });
  return {
    child,
    output: () => output,
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
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
