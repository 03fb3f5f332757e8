import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import type { Role } from '../config/roles';

/**
 * One registry per Herald application (not prom-client's global one), so that several applications in a
 * process (tests) do not collide. Holds Node's process metrics and an info metric naming the roles.
 */
export function createMetricsRegistry(roles: readonly Role[]): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const info = new Gauge({ name: 'herald_process_info', help: 'Always 1; the roles this process runs.', labelNames: ['roles'], registers: [registry] });
  info.set({ roles: [...roles].sort().join(',') }, 1);
  return registry;
}

/**
 * Runs `fetch` at most once per `ttlMs` however many gauges ask for its result during one scrape,
 * and never fails a scrape: on error the gauges keep their last values.
 */
export function sharedSample<T>(fetch: () => Promise<T>, ttlMs = 1000): () => Promise<T | null> {
  let pending: { at: number; value: Promise<T | null> } | null = null;
  return () => {
    const now = Date.now();
    if (!pending || now - pending.at > ttlMs) pending = { at: now, value: fetch().catch(() => null) };
    return pending.value;
  };
}
