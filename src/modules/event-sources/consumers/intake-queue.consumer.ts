import { DeleteMessageBatchCommand, GetQueueUrlCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { HeraldConfig } from '../../../infrastructure/config/herald-config';
import { createWithDeadLetterQueue } from '../../../infrastructure/sqs/queue-directory';
import { IngestEvents } from '../application/ingest-events.use-case';
import { readIntakeMessage } from './intake-message';

/**
 * The intake role: producers (EventBridge rules, SNS subscriptions, other services) send notification requests
 * or raw events to a queue. A message is deleted once what it caused is committed (or it matched no rule); a
 * rejected one is recorded with its reason and left alone, so the queue's redrive policy moves it to the
 * dead-letter queue. One bad message never holds up the others.
 */
@Injectable()
export class IntakeQueueConsumer implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('IntakeQueue');
  private running = false;
  private loops: Array<Promise<void>> = [];
  private readonly abort = new AbortController();
  private queueUrl: Promise<string> | null = null;

  constructor(
    private readonly config: HeraldConfig,
    private readonly sqs: SQSClient,
    private readonly ingestEvents: IngestEvents,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.intake.queue) {
      this.logger.log('intake role: INTAKE_QUEUE is not set, so no intake queue is read');
      return;
    }
    this.running = true;
    const queue = this.config.intake.queue;
    this.loops = Array.from({ length: this.config.intake.concurrency }, () => this.run(queue));
  }

  async onModuleDestroy(): Promise<void> {
    this.running = false;
    this.abort.abort();
    await Promise.all(this.loops);
  }

  private async run(queue: string): Promise<void> {
    const name = /^https?:\/\//.test(queue) ? queue.split('/').pop()! : queue;
    const source = `intake:${name}`;
    let url: string | null = null;
    let failures = 0;
    while (this.running) {
      try {
        url ??= await this.resolve(queue);
        const received = await this.sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: url,
            MaxNumberOfMessages: this.config.intake.batchSize,
            WaitTimeSeconds: this.config.queues.waitTimeSeconds,
            VisibilityTimeout: this.config.queues.visibilityTimeoutSeconds,
            MessageAttributeNames: ['All'],
          }),
          { abortSignal: this.abort.signal },
        );
        const messages = received.Messages ?? [];
        if (messages.length > 0) {
          const { outcomes } = await this.ingestEvents.execute({ source, events: messages.map(readIntakeMessage) });
          const done = messages.filter((_, i) => outcomes[i] !== 'rejected');
          if (done.length) {
            await this.sqs.send(
              new DeleteMessageBatchCommand({ QueueUrl: url, Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) }),
            );
          }
        }
        failures = 0;
      } catch (err) {
        if (!this.running) return;
        // Nothing was deleted: the messages come back after the visibility timeout.
        failures++;
        this.logger.error(`intake queue ${name}: ${(err as Error).message}`);
        await new Promise((r) => setTimeout(r, Math.min(30_000, 500 * 2 ** failures)));
      }
    }
  }

  /** Once for all loops; tried again after a failure. */
  private resolve(queue: string): Promise<string> {
    this.queueUrl ??= this.lookUp(queue).catch((err: unknown) => {
      this.queueUrl = null;
      throw err;
    });
    return this.queueUrl;
  }

  private async lookUp(queue: string): Promise<string> {
    if (/^https?:\/\//.test(queue)) return queue;
    if (this.config.queues.create) return createWithDeadLetterQueue(this.sqs, queue, this.config);
    const found = await this.sqs.send(new GetQueueUrlCommand({ QueueName: queue }));
    return found.QueueUrl!;
  }
}
