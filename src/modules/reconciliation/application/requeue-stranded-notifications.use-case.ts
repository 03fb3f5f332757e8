import { Injectable, Logger } from '@nestjs/common';
import { DeliveryLedger } from '../../../domain/ports/delivery-ledger.port';
import { HeraldConfig } from '../../../infrastructure/config/herald-config';

const BATCH = 500;

export interface RequeueStrandedReport {
  requeued: number;
}

/**
 * Finds `queued` notifications that have been due for longer than QUEUED_STRANDED_AFTER with no outbox
 * entry: their message left the outbox but never reached a worker (the queue lost it, or it went to the
 * dead-letter queue). Each gets a new outbox entry. A second message for a notification is harmless:
 * the claim lets exactly one worker send it.
 */
@Injectable()
export class RequeueStrandedNotifications {
  private readonly logger = new Logger('Reconciliation');

  constructor(
    private readonly ledger: DeliveryLedger,
    private readonly config: HeraldConfig,
  ) {}

  async execute(): Promise<RequeueStrandedReport> {
    let requeued = 0;
    for (;;) {
      const n = await this.ledger.requeueStranded(this.config.scheduler.queuedStrandedAfterMs, BATCH);
      requeued += n;
      if (n < BATCH) break;
    }
    if (requeued) this.logger.warn({ msg: 'stranded notifications enqueued again', job: 'requeue-stranded-notifications', requeued });
    return { requeued };
  }
}
