import type { Message } from '@aws-sdk/client-sqs';
import { Injectable } from '@nestjs/common';
import { SqsConsumerEventHandler, SqsMessageHandler } from '@ssut/nestjs-sqs';
import { SendNotifications } from '../application/send-notifications.use-case';
import { ChannelQueueConsumer } from './channel-queue.consumer';

@Injectable()
export class PushQueueConsumer extends ChannelQueueConsumer {
  protected readonly channel = 'push' as const;

  constructor(sendNotifications: SendNotifications) {
    super(sendNotifications);
  }

  @SqsMessageHandler('push', true)
  handle(messages: Message[]): Promise<Message[]> {
    return this.handleBatch(messages);
  }

  @SqsConsumerEventHandler('push', 'error')
  @SqsConsumerEventHandler('push', 'processing_error')
  handleError(err: Error): void {
    this.onError(err);
  }
}
