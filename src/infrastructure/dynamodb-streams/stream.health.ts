import { Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { StreamActivity } from './stream-activity';

/**
 * The stream poller in /health/ready: lag per shard, counts, and `degraded: true` with the alarms while an alarm
 * (trimmed data) is recent or lag nears the 24-hour retention. Degraded is not down: restarting or unrouting the
 * process would not bring lost records back, and would only stop it catching up.
 */
@Injectable()
export class StreamHealthIndicator {
  constructor(
    private readonly activity: StreamActivity,
    private readonly health: HealthIndicatorService,
  ) {}

  /** Only processes that read a stream report on it. */
  active(): boolean {
    return this.activity.polling;
  }

  check(key = 'stream'): HealthIndicatorResult {
    const indicator = this.health.check(key);
    return indicator.up(this.activity.snapshot());
  }
}
