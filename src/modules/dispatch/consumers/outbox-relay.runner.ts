import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { HeraldConfig } from '../../../infrastructure/config/herald-config';
import { PublishOutbox } from '../application/publish-outbox.use-case';

/** The relay role: drains the outbox continuously, and polls when it is empty. */
@Injectable()
export class OutboxRelayRunner implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('OutboxRelay');
  private running = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;

  constructor(
    private readonly publishOutbox: PublishOutbox,
    private readonly config: HeraldConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.running = true;
    this.loop = this.run();
  }

  async onModuleDestroy(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      let published = 0;
      try {
        published = await this.publishOutbox.execute();
        failures = 0;
      } catch (err) {
        failures++;
        this.logger.error(`outbox relay pass failed: ${(err as Error).message}`);
      }
      if (published === 0 || failures > 0) await this.sleep(failures ? Math.min(5000, 200 * 2 ** failures) : this.config.relay.pollIntervalMs);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
