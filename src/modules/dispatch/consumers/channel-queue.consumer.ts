import { SQSClient, type Message } from '@aws-sdk/client-sqs';
import { Inject, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { Consumer } from 'sqs-consumer';
import type { Channel } from '../../../domain/notification/channel';
import { HeraldConfig } from '../../../infrastructure/config/herald-config';
import { notificationIdsOf } from '../../../infrastructure/sqs/dispatch-message';
import { QueueDirectory } from '../../../infrastructure/sqs/queue-directory';
import type { SendNotifications } from '../application/send-notifications.use-case';

/**
 * Maps a batch of channel-queue messages to the SendNotifications use case, and its result to SQS:
 * a message is deleted only after the state of every notification it names is committed; a message that
 * cannot be parsed is left alone, so that the queue's redrive policy moves it to the dead-letter queue.
 */
export abstract class ChannelQueueConsumer implements OnApplicationBootstrap, OnModuleDestroy {
  protected abstract readonly channel: Channel;
  private readonly logger = new Logger('ChannelQueueConsumer');
  // Property injection keeps every channel's consumer constructor to its use case.
  @Inject(HeraldConfig) private readonly config!: HeraldConfig;
  @Inject(SQSClient) private readonly sqs!: SQSClient;
  @Inject(QueueDirectory) private readonly queues!: QueueDirectory;
  private readonly extraPollers: Consumer[] = [];

  constructor(private readonly sendNotifications: SendNotifications) {}

  /**
   * An SQS consumer handles one batch at a time, so a worker's throughput would be one batch per
   * round of claim, provider calls and commit. WORKER_CONCURRENCY pollers per channel queue (the
   * decorated consumer and the rest started here) keep that many batches in flight.
   */
  onApplicationBootstrap(): void {
    for (let i = 1; i < this.config.dispatch.concurrency; i++) {
      const poller = Consumer.create({
        queueUrl: this.queues.urlOf(this.channel),
        sqs: this.sqs,
        batchSize: 10,
        waitTimeSeconds: this.config.queues.waitTimeSeconds,
        visibilityTimeout: this.config.queues.visibilityTimeoutSeconds,
        pollingWaitTimeMs: 0,
        handleMessageBatch: (messages) => this.handleBatch(messages),
      });
      poller.on('error', (err) => this.onError(err));
      poller.on('processing_error', (err) => this.onError(err));
      poller.start();
      this.extraPollers.push(poller);
    }
  }

  onModuleDestroy(): void {
    for (const poller of this.extraPollers) poller.stop({ abort: true });
  }

  protected async handleBatch(messages: Message[]): Promise<Message[]> {
    const idsOf = new Map<Message, string[]>();
    for (const message of messages) {
      const ids = this.parse(message);
      if (ids) idsOf.set(message, ids);
    }
    if (idsOf.size === 0) return [];
    const notificationIds = [...idsOf.values()].flat();
    try {
      const { settledIds } = await this.sendNotifications.execute({ channel: this.channel, notificationIds });
      const settled = new Set(settledIds);
      return [...idsOf.entries()].filter(([, ids]) => ids.every((id) => settled.has(id))).map(([message]) => message);
    } catch (err) {
      // Nothing is acknowledged: the messages come back after the visibility timeout.
      this.logger.error({
        msg: `batch of ${notificationIds.length} ${this.channel} notifications not processed: ${(err as Error).message}`,
        notificationIds,
      });
      return [];
    }
  }

  protected onError(err: Error): void {
    // A long poll cut short because the consumer is stopping (shutdown) is expected, not a failure.
    if ((err as { code?: string }).code === 'AbortError') {
      this.logger.debug(`${this.channel} queue consumer stopped while polling`);
      return;
    }
    this.logger.error(`${this.channel} queue consumer error: ${err.message}`);
  }

  private parse(message: Message): string[] | null {
    const ids = notificationIdsOf(message.Body, this.channel);
    if (ids) return ids;
    this.logger.error(`message ${message.MessageId} on the ${this.channel} queue is not a dispatch message; it will go to the dead-letter queue`);
    return null;
  }
}
