import { Injectable, Logger } from '@nestjs/common';
import { HeraldConfig } from '../../../infrastructure/config/herald-config';
import { TopicFanoutStore, type FanoutBatchReport } from '../../../domain/ports/topic-fanout.port';

/** Creates the next batch of notifications of the oldest unfinished fan-out; null when there is nothing to do. */
@Injectable()
export class RunFanoutBatch {
  private readonly logger = new Logger('Fanout');

  constructor(
    private readonly fanouts: TopicFanoutStore,
    private readonly config: HeraldConfig,
  ) {}

  async execute(): Promise<FanoutBatchReport | null> {
    const report = await this.fanouts.runNextBatch(this.config.fanout.batchSize);
    if (report?.done) this.logger.log({ msg: 'fan-out finished', fanoutId: report.fanoutId });
    return report;
  }
}
