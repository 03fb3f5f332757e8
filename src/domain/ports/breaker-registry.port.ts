import type { Channel } from '../notification/channel';
import type { WorkerBreakerState } from '../routing/provider-health';
import type { BreakerState } from './delivery-metrics.port';

/** A provider's breaker in the reporting process. */
export interface BreakerReport {
  channel: Channel;
  provider: string;
  state: BreakerState;
  /** When it entered this state. */
  since: Date;
}

/**
 * Where worker processes leave the state of their circuit breakers (which live in each process's memory), so that
 * any process can tell the state over the deployment. A process reports when a breaker changes state and as a
 * heartbeat; what it reported counts until `liveForMs` after the report, then it is ignored as stale.
 */
export abstract class BreakerRegistry {
  /** The current state of every breaker of `worker`, alive for `liveForMs` from now. */
  abstract report(worker: string, breakers: BreakerReport[], liveForMs: number): Promise<void>;
  /** Forgets `worker` at once (a clean shutdown). */
  abstract withdraw(worker: string): Promise<void>;
  /** Every breaker reported by a process whose last report is still alive. */
  abstract live(): Promise<WorkerBreakerState[]>;
}
