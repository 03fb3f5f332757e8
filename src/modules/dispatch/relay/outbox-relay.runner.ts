import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { HeraldConfig } from '../../../infrastructure/config/herald-config';
import { PollingLoop } from '../../../infrastructure/runtime/polling-loop';
import { PublishOutbox } from '../application/publish-outbox.use-case';

/** The relay role: drains the outbox continuously, and polls when it is empty. */
@Injectable()
export class OutboxRelayRunner implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('OutboxRelay');
  private readonly loop: PollingLoop;

  constructor(publishOutbox: PublishOutbox, config: HeraldConfig) {
    this.loop = new PollingLoop({
      pass: async () => ((await publishOutbox.execute()) === 0 ? config.relay.pollIntervalMs : 0),
      onError: (err, failures) => {
        this.logger.error(`outbox relay pass failed: ${err.message}`);
        return Math.min(5000, 200 * 2 ** failures);
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
