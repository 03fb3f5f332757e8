import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { BreakerRegistry } from '../../../domain/ports/breaker-registry.port';
import { HeraldConfig } from '../../../infrastructure/config/herald-config';
import { PollingLoop } from '../../../infrastructure/runtime/polling-loop';
import { WorkerIdentity } from '../application/worker-identity';
import { ProviderRouter } from './provider-router';

/** A report counts this many heartbeats: one late or failed write does not make a live process look gone. */
const HEARTBEATS_ALIVE = 3;

/**
 * Worker roles: writes the state of this process's circuit breakers to the breaker registry, so that
 * GET /v1/providers/health can tell their state over the deployment. One write when a breaker changes state (the
 * router wakes the loop; changes during a write are written by the next one) and one every
 * PROVIDER_BREAKER_HEARTBEAT, never one per send: a send only sets a flag. A failed write is logged and retried
 * at the next heartbeat. On a clean shutdown the process's rows are removed.
 */
@Injectable()
export class BreakerStateReporter implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('BreakerStateReporter');
  private readonly loop: PollingLoop;

  constructor(
    private readonly router: ProviderRouter,
    private readonly registry: BreakerRegistry,
    private readonly worker: WorkerIdentity,
    config: HeraldConfig,
  ) {
    const heartbeatMs = config.channels.routing.breakerHeartbeatMs;
    this.loop = new PollingLoop({
      pass: async () => {
        await this.registry.report(this.worker.id, this.router.breakerStates(), heartbeatMs * HEARTBEATS_ALIVE);
        return heartbeatMs;
      },
      onError: (err, failures) => {
        if (failures === 1) this.logger.warn({ msg: 'breaker state report failed', error: err.message });
        return heartbeatMs;
      },
    });
  }

  onApplicationBootstrap(): void {
    this.router.onBreakerChange(() => this.loop.wake());
    this.loop.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.loop.stop();
    await this.registry.withdraw(this.worker.id).catch((err: Error) => this.logger.warn({ msg: 'breaker state withdrawal failed', error: err.message }));
  }
}
