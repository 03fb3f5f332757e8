import { execSync, fork, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import type { BullmqMessage, BullmqRequest } from './bullmq-peer';
import type { PeerMessage, PeerRequest } from './peers';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

export interface Postgres {
  adminUrl: string;
  /** A fresh database for this run. */
  url: string;
  /** The embedded server's postmaster; null for a server at DATABASE_URL. */
  pid(): number | null;
  stop(): Promise<void>;
}

/** Embedded PostgreSQL (durable settings unless told otherwise), or the server at DATABASE_URL. */
export async function startPostgres(options: { durable: boolean }): Promise<Postgres> {
  let adminUrl = process.env.DATABASE_URL;
  let stopServer = async () => undefined as void;
  let postmasterPid = (): number | null => null;
  if (!adminUrl) {
    const { startEmbeddedPostgres, THROWAWAY_SETTINGS } = await import('../src/local/embedded-postgres-server.mjs');
    const dir = await mkdtemp(join(tmpdir(), 'herald-bench-pg-'));
    const settings = ['max_connections=300', 'shared_buffers=256MB'];
    if (!options.durable) settings.push(...THROWAWAY_SETTINGS);
    const pg = await startEmbeddedPostgres({ databaseDir: join(dir, 'data'), port: await freePort(), persistent: false, initialise: true, ownedFolder: dir, settings });
    postmasterPid = () => {
      try {
        return Number(readFileSync(join(dir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0]) || null;
      } catch {
        return null;
      }
    };
    adminUrl = pg.adminUrl;
    stopServer = () => pg.stop();
  }
  const name = `herald_bench_${Date.now().toString(36)}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    adminUrl,
    url: url.toString(),
    pid: postmasterPid,
    stop: async () => {
      const c = new Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
      await stopServer();
    },
  };
}

export interface Fauxqs {
  endpoint: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** The SQS emulator in its own process (it is an ES module, and a real queue service does not share our CPU either). */
export async function startFauxqs(): Promise<Fauxqs> {
  const port = await freePort();
  const script = `import { startFauxqs } from 'fauxqs'; const s = await startFauxqs({ port: ${port}, logger: false, host: '127.0.0.1' }); console.log('READY ' + s.address);`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'inherit'] });
  const endpoint = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /READY (\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`fauxqs exited with ${code}`)));
  });
  return { endpoint, process: child, stop: () => stopChild(child) };
}

export interface Peers {
  smtpPort: number;
  pushPort: number;
  process: ChildProcess;
  /** Arrivals since the last call: [id, epoch ms]. */
  take(): Promise<{ smtp: Array<[string, number]>; push: Array<[string, number]> }>;
  stop(): Promise<void>;
}

export async function startPeers(): Promise<Peers> {
  const child = fork(join(__dirname, 'peers.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const [ready] = (await once(child, 'message')) as [PeerMessage];
  if (ready.type !== 'ready') throw new Error('peers did not start');
  return {
    smtpPort: ready.smtpPort,
    pushPort: ready.pushPort,
    process: child,
    take: async () => {
      const answer = once(child, 'message');
      child.send({ type: 'take' } satisfies PeerRequest);
      const [msg] = (await answer) as [PeerMessage];
      if (msg.type !== 'taken') throw new Error('unexpected peer message');
      return { smtp: msg.smtp, push: msg.push };
    },
    stop: () => stopChild(child),
  };
}

export async function stopChild(child: ChildProcess, timeoutMs = 15_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  await exited;
  clearTimeout(timer);
}

/** Peak resident set size (VmHWM) of a process, in MB; null when unknown (not Linux, or gone). */
export function peakRssMb(pid: number | null | undefined): number | null {
  if (!pid) return null;
  try {
    const status = execSync(`cat /proc/${pid}/status`).toString();
    const kb = /VmHWM:\s+(\d+)\s+kB/.exec(status)?.[1];
    return kb ? Math.round(Number(kb) / 1024) : null;
  } catch {
    return null;
  }
}

/**
 * Memory of a process and its live children (PostgreSQL's postmaster and backends), in MB: the sum of their
 * proportional set sizes (shared memory such as shared_buffers counted once, not once per backend that touched
 * it) and the largest resident set of one of them. Null when unknown (not Linux, or gone).
 */
export function processTreeMemoryMb(pid: number | null | undefined): { pssMb: number; largestRssMb: number } | null {
  if (!pid) return null;
  const pids = [pid];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (Number(statFields(entry)[1]) === pid) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  let pssKb = 0;
  let largestKb = 0;
  for (const p of pids) {
    try {
      pssKb += Number(/^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${p}/smaps_rollup`, 'utf8'))?.[1] ?? 0);
      largestKb = Math.max(largestKb, Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${p}/status`, 'utf8'))?.[1] ?? 0));
    } catch {
      if (p === pid) return null;
    }
  }
  return { pssMb: Math.round(pssKb / 1024), largestRssMb: Math.round(largestKb / 1024) };
}

/**
 * The fields of /proc/<pid>/stat after the command name, so that index 1 is the ppid (field 4) and indexes 11
 * to 14 are utime, stime, cutime and cstime (fields 14 to 17), in clock ticks (100 per second on Linux).
 */
function statFields(pid: number | string): string[] {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** CPU time (user + system) a process has used, in seconds; null when unknown. */
export function cpuSeconds(pid: number | null | undefined): number | null {
  if (!pid) return null;
  try {
    const fields = statFields(pid);
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

/**
 * CPU time of a server and every process it forked: its own, what its exited children used, and what its
 * live children (PostgreSQL's backends) have used so far.
 */
export function processTreeCpuSeconds(pid: number | null | undefined): number | null {
  if (!pid) return null;
  try {
    const own = statFields(pid);
    let ticks = Number(own[11]) + Number(own[12]) + Number(own[13]) + Number(own[14]);
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const f = statFields(entry);
        if (Number(f[1]) === pid) ticks += Number(f[11]) + Number(f[12]);
      } catch {
        // gone meanwhile
      }
    }
    return ticks / 100;
  } catch {
    return null;
  }
}

/** Busy and total CPU time of the whole machine so far, in seconds (from /proc/stat). */
export function machineCpu(): { busy: number; total: number } | null {
  try {
    const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const total = cpu.reduce((a, b) => a + b, 0) / 100;
    const idle = (cpu[3] + (cpu[4] ?? 0)) / 100;
    return { busy: total - idle, total };
  } catch {
    return null;
  }
}

/** Whether a Redis server answers at `url` (PING, or an authentication error: a server is there), within `timeoutMs`. */
export function redisAnswers(url: string, timeoutMs = 1500): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname || '127.0.0.1', port: Number(port) || 6379 });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (d: Buffer) => done(/^(\+PONG|-NOAUTH|-WRONGPASS)/.test(d.toString('latin1'))));
  });
}

export interface BullmqPeer {
  worker: ChildProcess;
  producer: ChildProcess;
  /** The redis-server's pid when it runs on this machine (its `INFO server` process_id is a redis-server here). */
  redisPid: number | null;
  /** Adds `count` push jobs in batches; resolves with when each batch was accepted: [first index, count, epoch ms]. */
  produce(tag: string, count: number, batchSize: number, concurrency: number): Promise<Array<[number, number, number]>>;
  stop(): Promise<void>;
}

/** The BullMQ producer and worker processes (bullmq-peer.ts), on a queue of their own in the Redis at `redisUrl`. */
export async function startBullmqPeer(redisUrl: string, pushPort: number, queue: string): Promise<BullmqPeer> {
  const env = { ...process.env, REDIS_URL: redisUrl, BULLMQ_QUEUE: queue, BULLMQ_PREFIX: 'herald-bench', FCM_BASE_URL: `http://127.0.0.1:${pushPort}` };
  const start = async (role: string) => {
    const child = fork(join(__dirname, 'bullmq-peer.js'), [role], { env, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const [ready] = (await once(child, 'message')) as [BullmqMessage];
    if (ready.type !== 'ready') throw new Error(`BullMQ ${role} did not start: ${ready.type === 'failed' ? ready.message : ready.type}`);
    return { child, redisPid: ready.redisPid };
  };
  const worker = await start('worker');
  const producer = await start('producer');
  let redisPid = worker.redisPid;
  try {
    if (!redisPid || !/^redis-server/.test(readFileSync(`/proc/${redisPid}/comm`, 'utf8'))) redisPid = null;
  } catch {
    redisPid = null;
  }
  const stop = async (child: ChildProcess) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.send({ type: 'stop' } satisfies BullmqRequest);
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };
  return {
    worker: worker.child,
    producer: producer.child,
    redisPid,
    produce: async (tag, count, batchSize, concurrency) => {
      const answer = once(producer.child, 'message');
      producer.child.send({ type: 'produce', tag, count, batchSize, concurrency } satisfies BullmqRequest);
      const [msg] = (await answer) as [BullmqMessage];
      if (msg.type !== 'produced') throw new Error(`BullMQ producer: ${msg.type === 'failed' ? msg.message : msg.type}`);
      return msg.accepted;
    },
    stop: async () => {
      await stop(producer.child);
      await stop(worker.child);
    },
  };
}
