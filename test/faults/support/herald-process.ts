import type { ChildProcess } from 'node:child_process';
import type { WriteStream } from 'node:fs';
import { spawnHerald } from '../../support/herald-launcher';
import { logFile, waitForExit } from './child-processes';

/**
 * One Herald process (`node dist/src/main.js`) with its roles, supervised like a process manager would:
 * whenever it exits (killed by the test, or crashed because a dependency was down at start), it is
 * started again after a short delay, until the test stops it.
 */
export class HeraldProcess {
  private child: ChildProcess | null = null;
  private stopping = false;
  private readonly log: WriteStream;
  private killedByTest = new Set<ChildProcess>();
  /** Deliberate kill -9s that were seen to end the process by SIGKILL. */
  kills = 0;
  /** Exits the test did not cause (e.g. a start that failed while the database or the queue was down). */
  crashes = 0;
  starts = 0;
  private startedAt = 0;

  constructor(
    readonly name: string,
    private readonly env: Record<string, string>,
    logDir: string,
    private readonly restartDelayMs: () => number = () => 300 + Math.random() * 1200,
  ) {
    this.log = logFile(logDir, name);
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  start(): void {
    const { child } = spawnHerald({ env: this.env, isolatedEnv: true, log: this.log });
    this.starts++;
    this.startedAt = Date.now();
    this.child = child;
    child.once('exit', (code, signal) => {
      this.log.write(`\n--- ${this.name} exited (code ${code}, signal ${signal})\n`);
      if (this.killedByTest.has(child)) {
        if (signal === 'SIGKILL') this.kills++;
      } else if (!this.stopping) {
        this.crashes++;
      }
      if (this.child === child) this.child = null;
      if (!this.stopping) setTimeout(() => !this.stopping && !this.child && this.start(), this.restartDelayMs());
    });
  }

  /**
   * kill -9 the process (it will be restarted). If it is between restarts, waits until one has run for a
   * second, so that every kill hits a working process. Resolves once it has exited.
   */
  async kill9(): Promise<void> {
    const deadline = Date.now() + 60_000;
    while (!this.child || Date.now() - this.startedAt < 1000) {
      if (Date.now() > deadline) throw new Error(`${this.name} was not running for a minute`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const child = this.child;
    this.killedByTest.add(child);
    child.kill('SIGKILL');
    await waitForExit(child);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    const child = this.child;
    if (!child) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await waitForExit(child);
    clearTimeout(timer);
  }
}

/**
 * The settings of a process in a pipeline fault suite: short leases, retries, sweeps and timeouts, so that a fault
 * shows and is recovered from within seconds. `extra` adds to them or overrides them.
 */
export function faultSuiteEnv(o: {
  roles: string;
  port?: number;
  databaseUrl: string;
  sqsEndpoint: string;
  queuePrefix: string;
  smtpUrl: string;
  apiKey: string;
  extra?: Record<string, string>;
}): Record<string, string> {
  return {
    HERALD_ROLES: o.roles,
    PORT: String(o.port ?? 0),
    DATABASE_URL: o.databaseUrl,
    DATABASE_POOL_SIZE: '5',
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    SQS_ENDPOINT: o.sqsEndpoint,
    SQS_QUEUE_PREFIX: o.queuePrefix,
    SQS_CREATE_QUEUES: 'true',
    SQS_WAIT_TIME_SECONDS: '1',
    SQS_VISIBILITY_TIMEOUT_SECONDS: '10',
    SMTP_URL: o.smtpUrl,
    EMAIL_FROM: 'Herald <no-reply@herald.test>',
    SMTP_CONNECTION_TIMEOUT: '2s',
    SMTP_SOCKET_TIMEOUT: '2s',
    HERALD_BOOTSTRAP_API_KEY: o.apiKey,
    LINK_SIGNING_SECRET: 'fault-suite-link-secret-0123456789abcdef',
    PUBLIC_URL: 'https://herald.test',
    RELAY_POLL_INTERVAL: '50ms',
    RETRY_SCHEDULE: '1s,2s,4s,8s',
    DISPATCH_LEASE: '8s',
    LEASE_SWEEP_INTERVAL: '1s',
    RECONCILE_INTERVAL: '2s',
    OUTBOX_STUCK_AFTER: '10s',
    QUEUED_STRANDED_AFTER: '15s',
    LOG_LEVEL: 'warn',
    ...o.extra,
  };
}
