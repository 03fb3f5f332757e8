import type { Message } from '@aws-sdk/client-sqs';
import { Logger } from '@nestjs/common';
import type { SendNotifications } from '../application/send-notifications.use-case';
import { ChannelQueueConsumer, channelQueueConsumer, channelQueuePattern } from './channel-queue.consumer';

const ids = ['0193a1b2-7c4d-7e8f-9a0b-000000000001', '0193a1b2-7c4d-7e8f-9a0b-000000000002', '0193a1b2-7c4d-7e8f-9a0b-000000000003'];
const message = (id: string, body: unknown): Message => ({ MessageId: id, ReceiptHandle: `rh-${id}`, Body: typeof body === 'string' ? body : JSON.stringify(body) });

function useCase(execute: SendNotifications['execute']): SendNotifications {
  return { execute: jest.fn(execute) } as unknown as SendNotifications;
}

describe('ChannelQueueConsumer', () => {
  beforeEach(() => jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined));
  afterEach(() => jest.restoreAllMocks());

  it('sends every id of the batch at once and acknowledges only messages whose ids are all settled', async () => {
    const send = useCase(async () => ({ settledIds: [ids[0], ids[1]] }) as Awaited<ReturnType<SendNotifications['execute']>>);
    const consumer = new ChannelQueueConsumer('sms', send);
    const both = message('m1', { channel: 'sms', notificationIds: [ids[0], ids[1]] });
    const partly = message('m2', { channel: 'sms', notificationIds: [ids[0], ids[2]] });
    const outcome = await consumer.handle([both, partly]);
    expect(send.execute).toHaveBeenCalledWith({ channel: 'sms', notificationIds: [ids[0], ids[1], ids[0], ids[2]] });
    expect(outcome.done).toEqual([both]);
  });

  it('leaves a message that is not a dispatch message of its channel for the dead-letter queue', async () => {
    const send = useCase(async () => ({ settledIds: [ids[0]] }) as Awaited<ReturnType<SendNotifications['execute']>>);
    const consumer = new ChannelQueueConsumer('email', send);
    const good = message('m1', { channel: 'email', notificationIds: [ids[0]] });
    const outcome = await consumer.handle([good, message('m2', 'not json'), message('m3', { channel: 'sms', notificationIds: [ids[1]] })]);
    expect(send.execute).toHaveBeenCalledWith({ channel: 'email', notificationIds: [ids[0]] });
    expect(outcome.done).toEqual([good]);
  });

  it('acknowledges nothing when the use case fails', async () => {
    const consumer = new ChannelQueueConsumer('push', useCase(async () => Promise.reject(new Error('database down'))));
    expect((await consumer.handle([message('m1', { channel: 'push', notificationIds: [ids[0]] })])).done).toEqual([]);
  });

  it('the factory makes one distinct handler class per channel, under that channel pattern', () => {
    const email = channelQueueConsumer('email');
    const sms = channelQueueConsumer('sms');
    expect(email).not.toBe(sms);
    expect(email.name).toBe('EmailQueueConsumer');
    expect(channelQueuePattern('sms')).toBe('queue:sms');
  });
});
