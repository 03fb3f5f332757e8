import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { HeraldConfig } from '../../../infrastructure/config/herald-config';
import { RunFanoutBatch } from '../application/run-fanout-batch.use-case';

/**
 * The scheduler role's fan-out loop: batch after batch while there is work, then polls. Several
 * processes may run it: each batch locks its fan-out row (FOR UPDATE SKIP LOCKED). On shutdown it
 * stops between batches; the next run resumes from the committed cursor.
 */
@Injectable()
export class FanoutRunner implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Fanout');
  private stopping = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;

  constructor(
    private readonly runBatch: RunFanoutBatch,
    private readonly config: HeraldConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.loop = this.run();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      let worked = false;
      try {
        worked = (await this.runBatch.execute()) !== null;
      } catch (err) {
        this.logger.error(`fan-out batch failed: ${(err as Error).message}`);
      }
      const pause = worked ? this.config.fanout.batchPauseMs : this.config.fanout.pollIntervalMs;
      if (pause > 0 && !this.stopping) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, pause);
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    }
  }
}
