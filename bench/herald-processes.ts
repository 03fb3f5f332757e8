import type { ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { launchHerald } from '../test/support/herald-launcher';
import { freePort, peakRssMb, stopChild } from './infra';

export interface HeraldProcess {
  role: string;
  port: number;
  child: ChildProcess;
  peakRssMb(): number | null;
  stop(): Promise<void>;
}

/**
 * Starts `node dist/src/main.js` with HERALD_ROLES=<role> and the given environment; its JSON logs go to
 * <logDir>/<role>.log. Resolves once /health/live answers.
 */
export async function startHeraldProcess(
  role: string,
  env: Record<string, string>,
  options: { logDir: string; profileDir?: string; heapMb?: number },
): Promise<HeraldProcess> {
  const port = await freePort();
  mkdirSync(options.logDir, { recursive: true });
  const log = createWriteStream(join(options.logDir, `${role.replace(/[^a-z0-9]+/gi, '-')}.log`));
  const nodeArgs = [];
  if (options.heapMb) nodeArgs.push(`--max-old-space-size=${options.heapMb}`);
  if (options.profileDir) nodeArgs.push('--cpu-prof', `--cpu-prof-dir=${options.profileDir}`, '-r', join(__dirname, 'profile-exit.js'));
  const { child } = await launchHerald({
    name: `Herald ${role}`,
    entry: join(__dirname, '..', 'src', 'main.js'),
    nodeArgs,
    env: { ...env, HERALD_ROLES: role, PORT: String(port) },
    log,
    ready: { url: `http://127.0.0.1:${port}/health/live` },
    readyTimeoutMs: 60_000,
  });
  let lastPeak: number | null = null;
  return {
    role,
    port,
    child,
    peakRssMb: () => (lastPeak = peakRssMb(child.pid) ?? lastPeak),
    stop: async () => {
      lastPeak = peakRssMb(child.pid) ?? lastPeak;
      await stopChild(child);
    },
  };
}
