import type { ChildProcess } from 'node:child_process';
import type { WriteStream } from 'node:fs';
import { join } from 'node:path';
import { logFile, startReadyProcess, waitForExit } from './child-processes';

/** PostgreSQL in a child process that the test can restart; the data directory survives restarts. */
export class PostgresProcess {
  private child: ChildProcess | null = null;
  private readonly log: WriteStream;
  restarts = 0;

  constructor(
    private readonly dir: string,
    readonly port: number,
  ) {
    this.log = logFile(dir, 'postgres');
  }

  get adminUrl(): string {
    return `postgres://postgres:postgres@127.0.0.1:${this.port}/postgres`;
  }

  async start(initialise = false): Promise<void> {
    this.child = await startReadyProcess('postgres', [join(__dirname, 'postgres-server.mjs'), join(this.dir, 'pgdata'), String(this.port), initialise ? '1' : '0'], this.log, 120_000);
  }

  async stop(): Promise<void> {
    if (!this.child) return;
    const child = this.child;
    this.child = null;
    child.kill('SIGTERM');
    await waitForExit(child);
  }

  async restart(downForMs: number): Promise<void> {
    await this.stop();
    await new Promise((r) => setTimeout(r, downForMs));
    await this.start();
    this.restarts++;
  }
}

/** The SQS emulator in a child process; killing it loses every queue and message, as the emulator keeps no state. */
export class SqsEmulatorProcess {
  private child: ChildProcess | null = null;
  private readonly log: WriteStream;
  outages = 0;

  constructor(
    dir: string,
    readonly port: number,
  ) {
    this.log = logFile(dir, 'sqs-emulator');
  }

  get endpoint(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.child = await startReadyProcess('sqs emulator', [join(__dirname, 'fauxqs-server.mjs'), String(this.port)], this.log);
  }

  async kill(): Promise<void> {
    if (!this.child) return;
    const child = this.child;
    this.child = null;
    child.kill('SIGKILL');
    await waitForExit(child);
    this.outages++;
  }
}
