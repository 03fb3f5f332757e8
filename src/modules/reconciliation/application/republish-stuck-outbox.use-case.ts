import { Injectable, Logger } from '@nestjs/common';
import { DispatchQueue, Outbox } from '../../../domain/ports/outbox.port';
import { HeraldConfig } from '../../../infrastructure/config/herald-config';

const BATCH = 500;

export interface RepublishStuckOutboxReport {
  republished: number;
}

/**
 * Publishes outbox entries that have been due for longer than OUTBOX_STUCK_AFTER: a healthy relay
 * publishes within a poll interval, so these mean the relay is down or wedged. Rows the relay holds are
 * skipped (SKIP LOCKED), and a published entry is removed in the same transaction: running it twice,
 * or beside a relay, publishes nothing twice that a worker would act on twice.
 */
@Injectable()
export class RepublishStuckOutbox {
  private readonly logger = new Logger('Reconciliation');

  constructor(
    private readonly outbox: Outbox,
    private readonly queue: DispatchQueue,
    private readonly config: HeraldConfig,
  ) {}

  async execute(): Promise<RepublishStuckOutboxReport> {
    let republished = 0;
    for (;;) {
      const n = await this.outbox.drainStuck(this.config.scheduler.outboxStuckAfterMs, BATCH, (entries) => this.queue.publish(entries));
      republished += n;
      if (n < BATCH) break;
    }
    if (republished) this.logger.warn({ msg: 'stuck outbox entries published', job: 'republish-stuck-outbox', republished });
    return { republished };
  }
}
