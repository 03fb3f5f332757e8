import type { Message } from '@aws-sdk/client-sqs';
import { Injectable } from '@nestjs/common';
import { SqsConsumerEventHandler, SqsMessageHandler } from '@ssut/nestjs-sqs';
import { SendNotifications } from '../application/send-notifications.use-case';
import { ChannelQueueConsumer } from './channel-queue.consumer';

@Injectable()
export class InAppQueueConsumer extends ChannelQueueConsumer {
  protected readonly channel = 'inapp' as const;

  constructor(sendNotifications: SendNotifications) {
    super(sendNotifications);
  }

  @SqsMessageHandler('inapp', true)
  handle(messages: Message[]): Promise<Message[]> {
    return this.handleBatch(messages);
  }

  @SqsConsumerEventHandler('inapp', 'error')
  @SqsConsumerEventHandler('inapp', 'processing_error')
  handleError(err: Error): void {
    this.onError(err);
  }
}
