import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { Writable } from 'node:stream';

/**
 * The one way a Herald process is started by the tests, the fault suite and the benchmark: `node [nodeArgs]
 * <entry>` with an environment, its output kept (the last 20,000 characters) and written on to `log`. Built
 * with the benchmark (tsconfig.build.json), so it imports nothing from the tests.
 */
export interface HeraldLaunch {
  env: Record<string, string>;
  /** Start from this environment alone (plus PATH), not from this process's. */
  isolatedEnv?: boolean;
  /** The script: the built server, dist/src/main.js under the working folder, unless given. */
  entry?: string;
  /** Node's own arguments (a heap limit, a profiler, a require hook). */
  nodeArgs?: string[];
  log?: Writable;
}

export interface LaunchedHerald {
  child: ChildProcess;
  output(): string;
  /** Resolves once it has exited, however it ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** kill -9: no goodbye. */
  kill(): Promise<void>;
  /** SIGTERM, then SIGKILL after `graceMs` if it is still there. */
  stop(graceMs?: number): Promise<void>;
}

export function spawnHerald(launch: HeraldLaunch): LaunchedHerald {
  const entry = launch.entry ?? join(process.cwd(), 'dist/src/main.js');
  const env = launch.isolatedEnv ? { PATH: process.env.PATH ?? '', ...launch.env } : { ...process.env, ...launch.env };
  const child = spawn(process.execPath, [...(launch.nodeArgs ?? []), entry], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const onData = (d: Buffer) => {
    output = (output + d.toString()).slice(-20_000);
    launch.log?.write(d);
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const running = () => child.exitCode === null && child.signalCode === null;
  return {
    child,
    output: () => output,
    exited,
    kill: async () => {
      if (running()) child.kill('SIGKILL');
      await exited;
    },
    stop: async (graceMs = 10_000) => {
      if (!running()) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** What says a launched Herald is ready: a marker in its output, or an answer from a URL (its /health/live). */
export type Readiness = { output: string } | { url: string };

/** Spawns a Herald and resolves once it is ready; rejects (and kills it) when it exits first or is not ready in time. */
export async function launchHerald(launch: HeraldLaunch & { ready: Readiness; readyTimeoutMs?: number; name?: string }): Promise<LaunchedHerald> {
  const herald = spawnHerald(launch);
  const name = launch.name ?? 'Herald process';
  const timeoutMs = launch.readyTimeoutMs ?? 120_000;
  const deadline = Date.now() + timeoutMs;
  let exit: { code: number | null } | null = null;
  void herald.exited.then((e) => (exit = e));
  for (;;) {
    if (exit) throw new Error(`${name} exited with ${(exit as { code: number | null }).code} before it was ready:\n${herald.output()}`);
    if ('output' in launch.ready ? herald.output().includes(launch.ready.output) : await answers(launch.ready.url)) return herald;
    if (Date.now() > deadline) {
      await herald.kill();
      throw new Error(`${name} not ready in ${timeoutMs} ms:\n${herald.output()}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function answers(url: string): Promise<boolean> {
  try {
    return (await fetch(url)).ok;
  } catch {
    return false; // not listening yet
  }
}
