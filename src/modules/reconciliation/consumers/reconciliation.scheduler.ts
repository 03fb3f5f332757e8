import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { JobLock } from '../../../domain/ports/job-lock.port';
import { HeraldConfig } from '../../../infrastructure/config/herald-config';
import { RecoverExpiredLeases } from '../application/recover-expired-leases.use-case';

/** The scheduler role: runs reconciliation jobs on an interval, one runner at a time across processes. */
@Injectable()
export class ReconciliationScheduler implements OnApplicationBootstrap {
  private readonly logger = new Logger('Scheduler');
  private busy = false;

  constructor(
    private readonly registry: SchedulerRegistry,
    private readonly lock: JobLock,
    private readonly recoverExpiredLeases: RecoverExpiredLeases,
    private readonly config: HeraldConfig,
  ) {}

  onApplicationBootstrap(): void {
    const timer = setInterval(() => void this.tick(), this.config.scheduler.leaseSweepIntervalMs);
    this.registry.addInterval('recover-expired-leases', timer);
  }

  private async tick(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      await this.lock.runExclusive('recover-expired-leases', () => this.recoverExpiredLeases.execute());
    } catch (err) {
      this.logger.error(`recover-expired-leases failed: ${(err as Error).message}`);
    } finally {
      this.busy = false;
    }
  }
}
