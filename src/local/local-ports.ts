import { createServer } from 'node:net';
import { inspect } from 'node:util';

/** A start-up failure whose message says what to do; printed without a stack. */
export class LocalStartError extends Error {}

function takenMessage(what: string, host: string, port: number, setting: string): string {
  return `${what} cannot listen on ${host}:${port}: the port is taken. Stop what uses it, or set ${setting} to a free port (e.g. ${setting}=${port + 1}).`;
}

/**
 * Fails with a message naming the port and its setting when something already listens there. Checked before a
 * stand-in starts because some (embedded Postgres) report a taken port only as an unreadable failure.
 */
export async function assertPortFree(what: string, host: string, port: number, setting: string): Promise<void> {
  if (port === 0) return;
  await new Promise<void>((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (err: NodeJS.ErrnoException) =>
      reject(err.code === 'EADDRINUSE' ? new LocalStartError(takenMessage(what, host, port, setting)) : err),
    );
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}

/** Runs a start that listens on a port, turning a taken port (lost to a race after the check) into the same message. */
export async function listening<T>(what: string, host: string, port: number, setting: string, start: () => Promise<T>): Promise<T> {
  await assertPortFree(what, host, port, setting);
  try {
    return await start();
  } catch (err) {
    if ((err as NodeJS.ErrnoException | undefined)?.code === 'EADDRINUSE') throw new LocalStartError(takenMessage(what, host, port, setting));
    throw err;
  }
}

/** Whatever was thrown, readable: some libraries reject with undefined or with plain objects. */
export function describeFailure(err: unknown): string {
  if (err instanceof LocalStartError) return err.message;
  if (err instanceof Error) return err.stack ?? err.message;
  return inspect(err);
}
