import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { JobLock } from '../../domain/ports/job-lock.port';
import { HeraldConfig } from '../../infrastructure/config/herald-config';
import { PurgeIdempotencyKeys } from '../../modules/reconciliation/application/purge-idempotency-keys.use-case';
import { ReleaseDueNotifications } from '../../modules/scheduled-sends/application/release-due-notifications.use-case';
import { DeliverStatusWebhooks } from '../../modules/delivery-tracking/application/deliver-status-webhooks.use-case';
import { RecoverExpiredLeases } from '../../modules/reconciliation/application/recover-expired-leases.use-case';
import { RepublishStuckOutbox } from '../../modules/reconciliation/application/republish-stuck-outbox.use-case';
import { RequeueStrandedNotifications } from '../../modules/reconciliation/application/requeue-stranded-notifications.use-case';

interface Job {
  name: string;
  intervalMs: number;
  run: () => Promise<object>;
}

/**
 * The scheduler role's periodic jobs (reconciliation, releasing scheduled sends, status webhooks, purging idempotency
 * keys), each on its interval and run by one process at a time.
 */
@Injectable()
export class PeriodicJobsScheduler implements OnApplicationBootstrap {
  private readonly logger = new Logger('Scheduler');
  private readonly busy = new Set<string>();

  constructor(
    private readonly registry: SchedulerRegistry,
    private readonly lock: JobLock,
    private readonly recoverExpiredLeases: RecoverExpiredLeases,
    private readonly republishStuckOutbox: RepublishStuckOutbox,
    private readonly requeueStranded: RequeueStrandedNotifications,
    private readonly purgeIdempotencyKeys: PurgeIdempotencyKeys,
    private readonly releaseDue: ReleaseDueNotifications,
    private readonly statusWebhooks: DeliverStatusWebhooks,
    private readonly config: HeraldConfig,
  ) {}

  onApplicationBootstrap(): void {
    const s = this.config.scheduler;
    const jobs: Job[] = [
      { name: 'recover-expired-leases', intervalMs: s.leaseSweepIntervalMs, run: () => this.recoverExpiredLeases.execute() },
      { name: 'republish-stuck-outbox', intervalMs: s.reconcileIntervalMs, run: () => this.republishStuckOutbox.execute() },
      { name: 'requeue-stranded-notifications', intervalMs: s.reconcileIntervalMs, run: () => this.requeueStranded.execute() },
      { name: 'release-scheduled-notifications', intervalMs: s.scheduledReleaseIntervalMs, run: () => this.releaseDue.execute() },
      { name: 'deliver-status-webhooks', intervalMs: this.config.customerWebhooks.intervalMs, run: () => this.statusWebhooks.execute() },
      { name: 'purge-idempotency-keys', intervalMs: s.idempotencyPurgeIntervalMs, run: () => this.purgeIdempotencyKeys.execute() },
    ];
    for (const job of jobs) {
      const timer = setInterval(() => void this.tick(job), job.intervalMs);
      this.registry.addInterval(job.name, timer);
    }
  }

  private async tick(job: Job): Promise<void> {
    if (this.busy.has(job.name)) return;
    this.busy.add(job.name);
    try {
      const outcome = await this.lock.runExclusive(job.name, job.run);
      if (outcome.ran) this.logger.debug({ msg: 'job finished', job: job.name, ...outcome.value });
    } catch (err) {
      this.logger.error(`${job.name} failed: ${(err as Error).message}`);
    } finally {
      this.busy.delete(job.name);
    }
  }
}
