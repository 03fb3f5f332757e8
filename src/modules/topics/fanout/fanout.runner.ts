import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { HeraldConfig } from '../../../infrastructure/config/herald-config';
import { PollingLoop } from '../../../infrastructure/runtime/polling-loop';
import { RunFanoutBatch } from '../application/run-fanout-batch.use-case';

/**
 * The scheduler role's fan-out loop: batch after batch while there is work, then polls. Several
 * processes may run it: each batch locks its fan-out row (FOR UPDATE SKIP LOCKED). On shutdown it
 * stops between batches; the next run resumes from the committed cursor.
 */
@Injectable()
export class FanoutRunner implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Fanout');
  private readonly loop: PollingLoop;

  constructor(runBatch: RunFanoutBatch, config: HeraldConfig) {
    this.loop = new PollingLoop({
      pass: async () => ((await runBatch.execute()) !== null ? config.fanout.batchPauseMs : config.fanout.pollIntervalMs),
      onError: (err) => {
        this.logger.error(`fan-out batch failed: ${err.message}`);
        return config.fanout.pollIntervalMs;
      },
    });
  }

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  onModuleDestroy(): Promise<void> {
    return this.loop.stop();
  }
}
