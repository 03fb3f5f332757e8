import { Injectable, Logger } from '@nestjs/common';
import { DeliveryLedger, type LeaseRecoveryReport } from '../../../domain/ports/delivery-ledger.port';
import { DeliveryMetrics } from '../../../domain/ports/delivery-metrics.port';
import { ChannelSenders } from '../../dispatch/channels/channel-senders';

const BATCH = 500;

/**
 * Settles notifications whose worker died holding them. If the provider was never called they are
 * queued again; if it may have been called they become `unknown` (or are resent where the channel's
 * providers take an idempotency key). Idempotent: a second run finds nothing left to do.
 */
@Injectable()
export class RecoverExpiredLeases {
  private readonly logger = new Logger('Reconciliation');

  constructor(
    private readonly ledger: DeliveryLedger,
    private readonly senders: ChannelSenders,
    private readonly metrics: DeliveryMetrics,
  ) {}

  async execute(): Promise<LeaseRecoveryReport> {
    const total: LeaseRecoveryReport = { requeued: 0, markedUnknown: 0 };
    for (;;) {
      const report = await this.ledger.recoverExpiredLeases(this.senders.resendableChannels(), BATCH);
      total.requeued += report.requeued;
      total.markedUnknown += report.markedUnknown;
      this.metrics.reconciliationFinding('recover-expired-leases', 'expired_lease_requeued', report.requeued);
      this.metrics.reconciliationFinding('recover-expired-leases', 'expired_lease_marked_unknown', report.markedUnknown);
      if (report.requeued + report.markedUnknown < BATCH) break;
    }
    if (total.requeued || total.markedUnknown) {
      this.logger.warn({ msg: 'expired leases recovered', job: 'recover-expired-leases', ...total });
    }
    return total;
  }
}
