import { Injectable, Logger } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import { RateLimitCounters } from '../../../domain/ports/rate-limit-counters.port';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

const WARN_EVERY_MS = 60_000;

/**
 * @nestjs/throttler's storage on the shared counters, so that a limit holds across every api process.
 * A fixed window: once a key is over its limit it stays refused until its window ends (the block lasts
 * the rest of the window, whatever `blockDuration`). When the database cannot count, requests pass:
 * the limit protects capacity, and refusing everything while Postgres is away would not.
 */
@Injectable()
export class RateLimitThrottlerStorage implements ThrottlerStorage {
  private readonly logger = new Logger('RateLimits');
  private lastWarning = 0;

  constructor(private readonly counters: RateLimitCounters) {}

  async increment(key: string, ttl: number, limit: number): Promise<ThrottlerStorageRecord> {
    try {
      const { hits, resetsInMs } = await this.counters.hit(key, ttl);
      const seconds = Math.max(1, Math.ceil(resetsInMs / 1000));
      return { totalHits: hits, timeToExpire: seconds, isBlocked: hits > limit, timeToBlockExpire: hits > limit ? seconds : 0 };
    } catch (err) {
      if (Date.now() - this.lastWarning >= WARN_EVERY_MS) {
        this.lastWarning = Date.now();
        this.logger.warn(`rate limits not applied: the counters could not be updated (${err instanceof Error ? err.message : String(err)})`);
      }
      return { totalHits: 0, timeToExpire: 0, isBlocked: false, timeToBlockExpire: 0 };
    }
  }
}
