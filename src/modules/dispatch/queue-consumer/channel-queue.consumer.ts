import type { Message } from '@aws-sdk/client-sqs';
import { Controller, Logger, type Type } from '@nestjs/common';
import { EventPattern } from '@nestjs/microservices';
import type { Channel } from '../../../domain/notification/channel';
import { notificationIdsOf } from '../../../infrastructure/sqs/dispatch-message';
import type { QueueBatchOutcome } from '../../../infrastructure/sqs/sqs-queue.transport';
import { SendNotifications } from '../application/send-notifications.use-case';

/** The pattern a channel queue's handler declares, and under which the queue is consumed. */
export function channelQueuePattern(channel: Channel): string {
  return `queue:${channel}`;
}

/**
 * Maps a batch of channel-queue messages to the SendNotifications use case, and its result to SQS:
 * a message is deleted only after the state of every notification it names is committed; a message that
 * cannot be parsed is left alone, so that the queue's redrive policy moves it to the dead-letter queue.
 */
export class ChannelQueueConsumer {
  private readonly logger = new Logger('ChannelQueueConsumer');

  constructor(
    private readonly channel: Channel,
    private readonly sendNotifications: SendNotifications,
  ) {}

  async handle(messages: Message[]): Promise<QueueBatchOutcome> {
    const idsOf = new Map<Message, string[]>();
    for (const message of messages) {
      const ids = this.parse(message);
      if (ids) idsOf.set(message, ids);
    }
    if (idsOf.size === 0) return { done: [] };
    const notificationIds = [...idsOf.values()].flat();
    try {
      const { settledIds } = await this.sendNotifications.execute({ channel: this.channel, notificationIds });
      const settled = new Set(settledIds);
      return { done: [...idsOf.entries()].filter(([, ids]) => ids.every((id) => settled.has(id))).map(([message]) => message) };
    } catch (err) {
      // Nothing is acknowledged: the messages come back after the visibility timeout.
      this.logger.error({
        msg: `batch of ${notificationIds.length} ${this.channel} notifications not processed: ${(err as Error).message}`,
        notificationIds,
      });
      return { done: [] };
    }
  }

  private parse(message: Message): string[] | null {
    const ids = notificationIdsOf(message.Body, this.channel);
    if (ids) return ids;
    this.logger.error(`message ${message.MessageId} on the ${this.channel} queue is not a dispatch message; it will go to the dead-letter queue`);
    return null;
  }
}

/** The handler of one channel's queue: the same consumer for every channel, declared under that channel's pattern. */
export function channelQueueConsumer(channel: Channel): Type {
  @Controller()
  class ChannelQueueHandler {
    private readonly consumer: ChannelQueueConsumer;

    constructor(sendNotifications: SendNotifications) {
      this.consumer = new ChannelQueueConsumer(channel, sendNotifications);
    }

    @EventPattern(channelQueuePattern(channel))
    handle(messages: Message[]): Promise<QueueBatchOutcome> {
      return this.consumer.handle(messages);
    }
  }
  Object.defineProperty(ChannelQueueHandler, 'name', { value: `${channel[0].toUpperCase()}${channel.slice(1)}QueueConsumer` });
  return ChannelQueueHandler;
}
