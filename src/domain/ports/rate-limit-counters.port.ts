/** Hits counted in a key's current window, and when that window ends. */
export interface WindowCount {
  hits: number;
  resetsInMs: number;
}

/**
 * Fixed-window counters that every process of a deployment shares, so that a limit holds for the deployment
 * rather than for each process. A window starts at a key's first hit and lasts `windowMs`.
 */
export abstract class RateLimitCounters {
  /** Counts one hit for `key` and returns the count of its window, this hit included. */
  abstract hit(key: string, windowMs: number): Promise<WindowCount>;
  /** The count of the key's current window, without counting (zero when it has none). */
  abstract peek(key: string): Promise<WindowCount>;
}
