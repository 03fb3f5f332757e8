import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
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
  const args = [];
  if (options.heapMb) args.push(`--max-old-space-size=${options.heapMb}`);
  if (options.profileDir) args.push('--cpu-prof', `--cpu-prof-dir=${options.profileDir}`, '-r', join(__dirname, 'profile-exit.js'));
  args.push(join(__dirname, '..', 'src', 'main.js'));
  const child = spawn(process.execPath, args, {
    env: { ...process.env, ...env, HERALD_ROLES: role, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  let exited = false;
  child.once('exit', () => (exited = true));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited) throw new Error(`Herald ${role} exited during start; see ${options.logDir}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/health/live`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`Herald ${role} did not become live within 60 s`);
    await new Promise((r) => setTimeout(r, 100));
  }
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
