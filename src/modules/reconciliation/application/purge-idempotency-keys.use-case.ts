import { Injectable, Logger } from '@nestjs/common';
import { NotificationIntake } from '../../../domain/ports/notification-intake.port';
import { HeraldConfig } from '../../../infrastructure/config/herald-config';

const BATCH = 5000;

export interface PurgeIdempotencyKeysReport {
  released: number;
}

/** Releases idempotency keys older than IDEMPOTENCY_RETENTION_HOURS, so the key index stays small. Idempotent. */
@Injectable()
export class PurgeIdempotencyKeys {
  private readonly logger = new Logger('Reconciliation');

  constructor(
    private readonly intake: NotificationIntake,
    private readonly config: HeraldConfig,
  ) {}

  async execute(now: Date = new Date()): Promise<PurgeIdempotencyKeysReport> {
    const before = new Date(now.getTime() - this.config.scheduler.idempotencyRetentionHours * 3_600_000);
    let released = 0;
    for (;;) {
      const n = await this.intake.forgetIdempotencyKeys(before, BATCH);
      released += n;
      if (n < BATCH) break;
    }
    this.logger.log({ msg: 'idempotency keys released', job: 'purge-idempotency-keys', released, acceptedBefore: before.toISOString() });
    return { released };
  }
}
