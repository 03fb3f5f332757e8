import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

/** Names this process in leases, so that an operator can tell which worker holds a notification. */
export class WorkerIdentity {
  readonly id = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}
