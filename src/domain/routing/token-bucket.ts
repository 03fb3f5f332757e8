/** A provider quota: `ratePerSecond` sends per second on average, with bursts up to `capacity`. */
export interface RateLimit {
  ratePerSecond: number;
  capacity: number;
}

/** Parses "10/s", "600/m" or "36000/h". Returns null when malformed. */
export function parseRateLimit(text: string): RateLimit | null {
  const m = /^(\d+(?:\.\d+)?)\/(s|m|h)$/.exec(text.trim());
  if (!m) return null;
  const count = Number(m[1]);
  if (count <= 0) return null;
  const ratePerSecond = count / { s: 1, m: 60, h: 3600 }[m[2] as 's' | 'm' | 'h'];
  return { ratePerSecond, capacity: Math.max(1, Math.ceil(ratePerSecond)) };
}

/** Token bucket: `take()` spends a token when one is there, or says how long until one is. */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(
    private readonly limit: RateLimit,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = limit.capacity;
    this.updatedAt = now();
  }

  /** 0 when a token was taken; otherwise the milliseconds until the next token (nothing is taken). */
  take(): number {
    const now = this.now();
    this.tokens = Math.min(this.limit.capacity, this.tokens + ((now - this.updatedAt) / 1000) * this.limit.ratePerSecond);
    this.updatedAt = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - this.tokens) / this.limit.ratePerSecond) * 1000);
  }
}
