import type { Message } from '@aws-sdk/client-sqs';
import { Injectable } from '@nestjs/common';
import { SqsConsumerEventHandler, SqsMessageHandler } from '@ssut/nestjs-sqs';
import { SendNotifications } from '../application/send-notifications.use-case';
import { ChannelQueueConsumer } from './channel-queue.consumer';

@Injectable()
export class SmsQueueConsumer extends ChannelQueueConsumer {
  protected readonly channel = 'sms' as const;

  constructor(sendNotifications: SendNotifications) {
    super(sendNotifications);
  }

  @SqsMessageHandler('sms', true)
  handle(messages: Message[]): Promise<Message[]> {
    return this.handleBatch(messages);
  }

  @SqsConsumerEventHandler('sms', 'error')
  @SqsConsumerEventHandler('sms', 'processing_error')
  handleError(err: Error): void {
    this.onError(err);
  }
}
