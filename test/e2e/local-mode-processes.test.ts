import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from '../support/herald-harness';
import { installedSdk, run as runCommand } from '../support/installed-sdk';

jest.setTimeout(300_000);

const ROOT = join(__dirname, '..', '..');
const RUN_LOCAL = join(ROOT, 'dist', 'src', 'local', 'run-local.js');

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** Parent pid of every process, from /proc. */
function parents(): Map<number, { ppid: number; name: string }> {
  const out = new Map<number, { ppid: number; name: string }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The name is in parentheses and may hold spaces; the fields after it are space-separated.
      const close = stat.lastIndexOf(')');
      out.set(Number(entry), { name: stat.slice(stat.indexOf('(') + 1, close), ppid: Number(stat.slice(close + 2).split(' ')[1]) });
    } catch {
      // The process ended while being read.
    }
  }
  return out;
}

function descendants(root: number): Array<{ pid: number; name: string }> {
  const all = parents();
  const found: Array<{ pid: number; name: string }> = [];
  const queue = [root];
  while (queue.length) {
    const parent = queue.shift()!;
    for (const [pid, p] of all) if (p.ppid === parent) (found.push({ pid, name: p.name }), queue.push(pid));
  }
  return found;
}

const alive = (pid: number) => existsSync(`/proc/${pid}`) && !/^\S+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));

/** Does something accept a TCP connection at host:port? */
function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.setTimeout(5_000);
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
  });
}

interface LocalRun {
  child: ChildProcess;
  output: () => string;
  /** Every process seen below local mode while it ran (sampled). */
  seen: Map<number, string>;
  exited: Promise<number | null>;
}

function startLocal(env: Record<string, string>, cwd: string): LocalRun {
  const child = spawn('node', [RUN_LOCAL], {
    cwd,
    env: { PATH: process.env.PATH!, HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const seen = new Map<number, string>();
  const sample = () => {
    for (const p of descendants(child.pid!)) seen.set(p.pid, p.name);
  };
  const timer = setInterval(sample, 100);
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      clearInterval(timer);
      resolve(code);
    }),
  );
  return { child, output: () => output, seen, exited };
}

describe('local mode as a process', () => {
  const dirs: string[] = [];
  const runs: LocalRun[] = [];
  let holder: Server | undefined;

  afterAll(async () => {
    // Whatever a failing run left behind is not left on the machine.
    for (const run of runs) {
      if (run.child.exitCode === null && run.child.signalCode === null) run.child.kill('SIGKILL');
      for (const pid of run.seen.keys()) if (alive(pid)) process.kill(pid, 'SIGKILL');
    }
    await new Promise<void>((resolve) => (holder ? holder.close(() => resolve()) : resolve()));
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  async function ports() {
    return { LOCAL_PG_PORT: await freePort(), LOCAL_SQS_PORT: await freePort(), LOCAL_SMTP_PORT: await freePort(), LOCAL_INBOX_PORT: await freePort(), LOCAL_INAPP_EXAMPLE_PORT: await freePort(), PORT: await freePort() };
  }

  function workDir(): string {
    const dir = mkdtempSync(join(tmpdir(), 'herald-local-'));
    // Run as root, Postgres runs as user postgres, which must reach the data folder inside.
    chmodSync(dir, 0o755);
    dirs.push(dir);
    return dir;
  }

  async function expectAllGone(run: LocalRun) {
    await eventually(() => ([...run.seen.keys()].some(alive) ? undefined : true), 30_000, 'every process of local mode to end');
  }

  it('a taken port fails with its number and setting, and leaves no DynamoDB Local or Postgres behind', async () => {
    const p = await ports();
    // The API's port is taken, so that every stand-in has started when the start fails.
    holder = createServer();
    await new Promise<void>((resolve) => holder!.listen(p.PORT, '127.0.0.1', () => resolve()));
    const run = startLocal(Object.fromEntries(Object.entries(p).map(([k, v]) => [k, String(v)])), workDir());
    runs.push(run);
    const code = await run.exited;
    expect(code).toBe(1);
    expect(run.output()).toContain(`Local mode failed to start: The API cannot listen on 127.0.0.1:${p.PORT}: the port is taken`);
    expect(run.output()).toContain('set PORT to a free port');
    const names = [...run.seen.values()];
    expect(names).toContain('java');
    expect(names).toContain('postgres');
    await expectAllGone(run);
  });

  it('a taken stand-in port names that stand-in\'s setting', async () => {
    const p = await ports();
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(p.LOCAL_SMTP_PORT, '127.0.0.1', () => resolve()));
    try {
      const run = startLocal(Object.fromEntries(Object.entries(p).map(([k, v]) => [k, String(v)])), workDir());
      runs.push(run);
      expect(await run.exited).toBe(1);
      expect(run.output()).toContain(`127.0.0.1:${p.LOCAL_SMTP_PORT}: the port is taken`);
      expect(run.output()).toContain('set LOCAL_SMTP_PORT to a free port');
      expect(run.output()).not.toContain('undefined');
      await expectAllGone(run);
    } finally {
      await new Promise<void>((resolve) => taken.close(() => resolve()));
    }
  });

  it('listens on 127.0.0.1 only, and on SIGTERM stops every process it started', async () => {
    const p = await ports();
    const run = startLocal(Object.fromEntries(Object.entries(p).map(([k, v]) => [k, String(v)])), workDir());
    runs.push(run);
    const started = await Promise.race([
      eventually(() => (run.output().includes('Stop with Ctrl+C.') ? true : undefined), 240_000, 'local mode to start'),
      run.exited.then(() => false),
    ]);
    expect({ started, output: started ? '' : run.output() }).toEqual({ started: true, output: '' });
    const dynamodb = Number(/DynamoDB {4}http:\/\/127\.0\.0\.1:(\d+)/.exec(run.output())?.[1]);
    expect(dynamodb).toBeGreaterThan(0);
    for (const port of [...Object.values(p), dynamodb]) {
      expect({ port, loopback: await accepts('127.0.0.1', port) }).toEqual({ port, loopback: true });
      // 127.0.0.2 is a loopback address too: a socket bound to every interface would accept there.
      expect({ port, other: await accepts('127.0.0.2', port), v6: await accepts('::1', port) }).toEqual({ port, other: false, v6: false });
    }
    // The console its banner points at is served.
    const consoleUrl = /Console +(http:\/\/\S+)/.exec(run.output())?.[1] ?? '';
    expect(consoleUrl).toBe(`http://localhost:${p.PORT}/console`);
    const page = await fetch(`http://127.0.0.1:${p.PORT}/console/`);
    expect({ status: page.status, html: /<div id="app"|<script type="module"/.test(await page.text()) }).toEqual({ status: 200, html: true });
    // The in-app inbox example its banner points at: its page, a user token from its backend, and CORS for its origin.
    const inApp = /In-app +(http:\/\/\S+)/.exec(run.output())?.[1] ?? '';
    expect(inApp).toBe(`http://localhost:${p.LOCAL_INAPP_EXAMPLE_PORT}`);
    const examplePage = await fetch(`http://127.0.0.1:${p.LOCAL_INAPP_EXAMPLE_PORT}/`);
    expect({ status: examplePage.status, element: (await examplePage.text()).includes(`<herald-inbox base-url="http://localhost:${p.PORT}">`) }).toEqual({ status: 200, element: true });
    const minted = (await (await fetch(`http://127.0.0.1:${p.LOCAL_INAPP_EXAMPLE_PORT}/api/inbox-token`, { method: 'POST' })).json()) as { token: string };
    const counts = await fetch(`http://127.0.0.1:${p.PORT}/v1/inbox/counts`, { headers: { Authorization: `Bearer ${minted.token}`, Origin: inApp } });
    expect({ status: counts.status, origin: counts.headers.get('access-control-allow-origin') }).toEqual({ status: 200, origin: inApp });
    // The SDK program that calls every SDK method (test/fixtures/sdk-program) runs against it, built as an application builds it.
    const app = await installedSdk();
    dirs.push(app);
    copyFileSync(join(ROOT, 'test', 'fixtures', 'sdk-program', 'program.ts'), join(app, 'program.ts'));
    const compiled = await runCommand(join(ROOT, 'node_modules', '.bin', 'tsc'), ['--strict', '--target', 'es2022', '--lib', 'es2022,dom', '--module', 'node16', '--moduleResolution', 'node16', '--outDir', 'out', 'program.ts'], app);
    expect({ code: compiled.code, output: compiled.code === 0 ? '' : compiled.output }).toEqual({ code: 0, output: '' });
    const apiKey = /API key +(hk_\S+)/.exec(run.output())?.[1] ?? '';
    const script = `const p = require('./out/program.js'); p.connect(${JSON.stringify(`http://127.0.0.1:${p.PORT}`)}, ${JSON.stringify(apiKey)}); p.runAll().then((r) => console.log(JSON.stringify(r)), (e) => { console.error(e); process.exit(1); });`;
    const ran = await runCommand(process.execPath, ['-e', script], app);
    expect({ code: ran.code, output: ran.code === 0 ? '' : ran.output }).toEqual({ code: 0, output: '' });
    const results = JSON.parse(ran.output) as string[];
    expect(results).toHaveLength(8);
    // Local mode turns user tokens on: the page's inbox calls and its stream worked, and the stream caught up.
    expect(results[5]).toMatch(/[ ,]ready true$/);
    // The last call asks for a notification that does not exist: a typed 404 with Herald's code.
    expect(results[7]).toMatch(/^404 [a-z_]+ /);
    const names = [...run.seen.values()];
    expect(names).toContain('java');
    expect(names).toContain('postgres');
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    await expectAllGone(run);
  });

  it('a SIGTERM during start-up stops what has started', async () => {
    const p = await ports();
    const run = startLocal(Object.fromEntries(Object.entries(p).map(([k, v]) => [k, String(v)])), workDir());
    runs.push(run);
    // Postgres is up and DynamoDB Local is starting.
    await eventually(() => ([...run.seen.values()].includes('java') ? true : undefined), 240_000, 'DynamoDB Local to be starting');
    expect(run.output()).not.toContain('Stop with Ctrl+C.');
    expect([...run.seen.values()]).toContain('postgres');
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    await expectAllGone(run);
  });

  it('DynamoDB Local ends when the process that started it is killed without a goodbye', async () => {
    const script = `require(${JSON.stringify(join(ROOT, 'dist', 'src', 'local', 'dynamodb-local.js'))})
      .startDynamoDbLocal({ log: () => undefined }).then((d) => console.log('DYNAMODB_PID ' + d.pid));`;
    const parent = spawn('node', ['-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    parent.stdout.on('data', (d) => (output += d));
    parent.stderr.on('data', (d) => (output += d));
    const exited = new Promise<void>((resolve) => parent.once('exit', () => resolve()));
    let java = 0;
    try {
      java = await eventually(() => Number(/DYNAMODB_PID (\d+)/.exec(output)?.[1]) || undefined, 180_000, 'DynamoDB Local to start');
      expect(alive(java)).toBe(true);
    } finally {
      parent.kill('SIGKILL');
      await exited;
    }
    try {
      await eventually(() => (alive(java) ? undefined : true), 30_000, 'DynamoDB Local to exit');
    } finally {
      if (alive(java)) process.kill(java, 'SIGKILL');
    }
  });
});
