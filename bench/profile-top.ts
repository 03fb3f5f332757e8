/**
 * `node dist/bench/profile-top.js <file.cpuprofile> [--top N] [--per N]`: where a process's CPU went, from a profile
 * written by `npm run bench -- --profile`. Prints the functions with the most self time (the time a sample was in
 * that function itself, not in what it called), and the same summed by module (a package under node_modules, a
 * file of Herald, or Node's internals). With `--per N`, each figure is also divided by N (e.g. the pushes the
 * process handled), in microseconds. With `--since FUNCTION@TEXT`, samples before the first one whose stack has a frame
 * of that function in a script whose path contains TEXT are left out (start-up: module loading and compilation);
 * `--since TEXT` takes any frame of such a script, the module's own top-level code included.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

const NOT_JS = new Set(['(idle)', '(program)', '(garbage collector)', '(root)']);

/** Where a frame's code lives: a package, a file of the project, a Node internal or V8 itself. */
export function moduleOf(url: string, functionName: string): string {
  if (!url) return NOT_JS.has(functionName) ? functionName : '(native)';
  if (url.startsWith('node:')) return url;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  const own = /\/dist\/(.+)$/.exec(url);
  return own ? own[1] : url.replace(/^file:\/\//, '');
}

/** Self time in microseconds per function and per module. */
export function selfTimes(
  profile: Profile,
  since?: string,
): { total: number; byFunction: Map<string, number>; byModule: Map<string, number>; inclusive: Map<string, number> } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const inStack = (id: number) => {
    const [fn, script] = since!.includes('@') ? since!.split('@', 2) : [null, since!];
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const f = byId.get(at)?.callFrame;
      if (f && f.url.includes(script) && (fn === null || f.functionName === fn)) return true;
    }
    return false;
  };
  let started = since === undefined;
  const byFunction = new Map<string, number>();
  const byModule = new Map<string, number>();
  // Time with a frame of the module anywhere on the stack: what it and everything it called cost.
  const inclusive = new Map<string, number>();
  let total = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const node = byId.get(profile.samples[i]);
    // A sample's time is the gap to the next sample (the last one gets the gap before it).
    const dt = profile.timeDeltas[i + 1] ?? profile.timeDeltas[i] ?? 0;
    if (!node || dt <= 0) continue;
    if (!started && !(started = inStack(node.id))) continue;
    total += dt;
    const { functionName, url, lineNumber } = node.callFrame;
    const mod = moduleOf(url, functionName);
    const fn = `${functionName || '(anonymous)'} ${mod}${url ? `:${lineNumber + 1}` : ''}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + dt);
    byModule.set(mod, (byModule.get(mod) ?? 0) + dt);
    const seen = new Set<string>();
    for (let at: number | undefined = node.id; at !== undefined; at = parent.get(at)) {
      const f = byId.get(at)!.callFrame;
      if (f.url && !f.url.startsWith('node:')) seen.add(moduleOf(f.url, f.functionName));
    }
    for (const m of seen) inclusive.set(m, (inclusive.get(m) ?? 0) + dt);
  }
  return { total, byFunction, byModule, inclusive };
}

function main(): void {
  const args = process.argv.slice(2);
  const file = args.find((a, i) => !a.startsWith('--') && (i === 0 || !args[i - 1].startsWith('--')));
  if (!file) throw new Error('usage: profile-top <file.cpuprofile> [--top N] [--per N] [--since TEXT]');
  const option = (name: string) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? Number(args[i + 1]) : undefined;
  };
  const top = option('top') ?? 25;
  const per = option('per');
  const sinceAt = args.indexOf('--since');
  const since = sinceAt >= 0 ? args[sinceAt + 1] : undefined;
  const { total, byFunction, byModule, inclusive } = selfTimes(JSON.parse(readFileSync(file, 'utf8')) as Profile, since);
  const busy = total - (byModule.get('(idle)') ?? 0);
  const line = (name: string, us: number) =>
    `${(us / 1000).toFixed(0).padStart(8)} ms ${((us / busy) * 100).toFixed(1).padStart(5)}%${per ? ` ${(us / per).toFixed(1).padStart(8)} µs each` : ''}  ${name}`;
  process.stdout.write(`${file}\nprofiled ${(total / 1e6).toFixed(1)} s, busy (not idle) ${(busy / 1e6).toFixed(1)} s; shares are of the busy time\n\nby module:\n`);
  for (const [name, us] of [...byModule].filter(([n]) => n !== '(idle)').sort((a, b) => b[1] - a[1]).slice(0, top)) process.stdout.write(`${line(name, us)}\n`);
  process.stdout.write('\nby module, with what it called (a sample counts for every module on its stack):\n');
  for (const [name, us] of [...inclusive].sort((a, b) => b[1] - a[1]).slice(0, top)) process.stdout.write(`${line(name, us)}\n`);
  process.stdout.write('\nby function (self time):\n');
  for (const [name, us] of [...byFunction].filter(([n]) => !n.startsWith('(idle)')).sort((a, b) => b[1] - a[1]).slice(0, top)) process.stdout.write(`${line(name, us)}\n`);
}

if (require.main === module) main();
