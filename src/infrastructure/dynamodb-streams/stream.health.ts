import { Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { StreamActivity } from './stream-activity';

/** Readiness of the stream poller: lag per shard; down while an alarm (trimmed data) is recent or lag nears retention. */
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
    const snapshot = this.activity.snapshot();
    return snapshot.degraded ? indicator.down(snapshot) : indicator.up(snapshot);
  }
}
