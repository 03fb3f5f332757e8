import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { QueueDirectory } from './queue-directory';

@Injectable()
export class SqsHealthIndicator {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queues: QueueDirectory,
    private readonly health: HealthIndicatorService,
  ) {}

  /** False in a process that uses no channel queue (only the stream role): its readiness does not depend on SQS. */
  inUse(): boolean {
    return this.queues.inUse;
  }

  async check(key = 'queue'): Promise<HealthIndicatorResult> {
    const indicator = this.health.check(key);
    try {
      const depths: Record<string, number> = {};
      for (const channel of this.queues.channels()) {
        const res = await this.sqs.send(
          new GetQueueAttributesCommand({ QueueUrl: this.queues.urlOf(channel), AttributeNames: ['ApproximateNumberOfMessages'] }),
        );
        depths[channel] = Number(res.Attributes?.ApproximateNumberOfMessages ?? 0);
      }
      return indicator.up({ depths });
    } catch (err) {
      return indicator.down({ message: (err as Error).message });
    }
  }
}
