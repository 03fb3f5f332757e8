import type { Message } from '@aws-sdk/client-sqs';
import { Controller, Logger } from '@nestjs/common';
import { EventPattern } from '@nestjs/microservices';
import { HeraldConfig } from '../../../infrastructure/config/herald-config';
import type { QueueBatchOutcome } from '../../../infrastructure/sqs/sqs-queue.transport';
import { IngestEvents } from '../application/ingest-events.use-case';
import { readIntakeMessage } from './intake-message';

export const INTAKE_QUEUE_PATTERN = 'queue:intake';

/**
 * The intake role: producers (EventBridge rules, SNS subscriptions, other services) send notification requests
 * or raw events to a queue. A message is deleted once what it caused is committed (or it matched no rule); a
 * rejected one is recorded with its reason and left alone, so the queue's redrive policy moves it to the
 * dead-letter queue. One bad message never holds up the others.
 */
@Controller()
export class IntakeQueueConsumer {
  private readonly logger = new Logger('IntakeQueue');
  private readonly name: string;

  constructor(
    config: HeraldConfig,
    private readonly ingestEvents: IngestEvents,
  ) {
    const queue = config.intake.queue ?? '';
    this.name = /^https?:\/\//.test(queue) ? queue.split('/').pop()! : queue;
  }

  @EventPattern(INTAKE_QUEUE_PATTERN)
  async handle(messages: Message[]): Promise<QueueBatchOutcome> {
    try {
      const { outcomes } = await this.ingestEvents.execute({ source: `intake:${this.name}`, events: messages.map(readIntakeMessage) });
      return { done: messages.filter((_, i) => outcomes[i] !== 'rejected') };
    } catch (err) {
      // Nothing was deleted: the messages come back after the visibility timeout.
      this.logger.error(`intake queue ${this.name}: ${(err as Error).message}`);
      return { done: [], failed: true };
    }
  }
}
