import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { HeraldConfig } from '../../../infrastructure/config/herald-config';
import { PollingLoop } from '../../../infrastructure/runtime/polling-loop';
import { AdvanceWorkflowRuns } from '../application/advance-workflow-runs.use-case';

/**
 * The scheduler role's workflow engine: pass after pass while due runs keep coming, then polls every
 * WORKFLOW_POLL_INTERVAL. Several processes may run it: claims skip runs another one holds.
 */
@Injectable()
export class WorkflowEngineRunner implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Workflows');
  private readonly loop: PollingLoop;

  constructor(advance: AdvanceWorkflowRuns, config: HeraldConfig) {
    this.loop = new PollingLoop({
      pass: async () => ((await advance.execute()).claimed >= config.workflows.batchSize ? 0 : config.workflows.pollIntervalMs),
      onError: (err) => {
        this.logger.error(`workflow engine pass failed: ${err.message}`);
        return config.workflows.pollIntervalMs;
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
