import { CreateQueueCommand, GetQueueAttributesCommand, SendMessageBatchCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import { Controller, Module, type INestApplication, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventPattern } from '@nestjs/microservices';
import { randomUUID } from 'node:crypto';
import { SqsQueueTransport, type ConsumedQueue, type QueueBatchOutcome } from '../../src/infrastructure/sqs/sqs-queue.transport';

/** The one SQS mechanism, on the real NestJS microservice machinery and the SQS emulator. */
describe('SqsQueueTransport', () => {
  const sqs = new SQSClient({ region: process.env.AWS_REGION!, endpoint: process.env.SQS_ENDPOINT! });
  let app: INestApplication | undefined;

  afterEach(async () => {
    await app?.close();
    app = undefined;
  });
  afterAll(() => sqs.destroy());

  async function queue(): Promise<string> {
    const created = await sqs.send(new CreateQueueCommand({ QueueName: `transport-${randomUUID().slice(0, 8)}` }));
    return created.QueueUrl!;
  }

  function consumed(pattern: string, url: string, pollers = 2): ConsumedQueue {
    return { pattern, url: () => Promise.resolve(url), batchSize: 10, pollers, backoffMs: () => 50 };
  }

  async function start(controllers: Type[], queues: ConsumedQueue[]): Promise<INestApplication> {
    @Module({ controllers })
    class TestModule {}
    app = await NestFactory.create(TestModule, { logger: false, abortOnError: false });
    app.connectMicroservice({ strategy: new SqsQueueTransport({ sqs, waitTimeSeconds: 1, visibilityTimeoutSeconds: 1, queues }) });
    await app.init();
    await app.startAllMicroservices();
    return app;
  }

  async function visibleAndInFlight(url: string): Promise<number> {
    const res = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }));
    return Number(res.Attributes!.ApproximateNumberOfMessages) + Number(res.Attributes!.ApproximateNumberOfMessagesNotVisible);
  }

  async function until(check: () => Promise<boolean> | boolean, what: string): Promise<void> {
    const deadline = Date.now() + 20_000;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  it('deletes only the messages the handler reports as committed; the others come back', async () => {
    const url = await queue();
    const seen = new Map<string, number>();
    @Controller()
    class Handler {
      @EventPattern('queue:test')
      handle(messages: Message[]): QueueBatchOutcome {
        for (const m of messages) seen.set(m.Body!, (seen.get(m.Body!) ?? 0) + 1);
        return { done: messages.filter((m) => !m.Body!.startsWith('keep')) };
      }
    }
    await sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: ['a', 'b', 'c', 'keep-1'].map((body, i) => ({ Id: String(i), MessageBody: body })) }));
    await start([Handler], [consumed('queue:test', url)]);
    // The message not reported as done is received again after its visibility timeout; the others never are.
    await until(() => (seen.get('keep-1') ?? 0) >= 2, 'the kept message to come back');
    expect(['a', 'b', 'c'].map((b) => seen.get(b))).toEqual([1, 1, 1]);
    await app!.close();
    app = undefined;
    expect(await visibleAndInFlight(url)).toBe(1);
  });

  it('on close, lets the batch in flight finish and deletes what it committed', async () => {
    const url = await queue();
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let received = 0;
    @Controller()
    class SlowHandler {
      @EventPattern('queue:slow')
      async handle(messages: Message[]): Promise<QueueBatchOutcome> {
        received += messages.length;
        await released;
        return { done: messages };
      }
    }
    await sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: [{ Id: '0', MessageBody: 'only' }] }));
    await start([SlowHandler], [consumed('queue:slow', url, 1)]);
    await until(() => received === 1, 'the message to be received');
    let closed = false;
    const closing = app!.close().then(() => (closed = true));
    app = undefined;
    await new Promise((r) => setTimeout(r, 200));
    expect(closed).toBe(false);
    release();
    await closing;
    expect(await visibleAndInFlight(url)).toBe(0);
  });

  it('refuses to start when a consumed queue has no handler, or two', async () => {
    const url = await queue();
    @Controller()
    class First {
      @EventPattern('queue:twice')
      handle(): QueueBatchOutcome {
        return { done: [] };
      }
    }
    @Controller()
    class Second {
      @EventPattern('queue:twice')
      handle(): QueueBatchOutcome {
        return { done: [] };
      }
    }
    await expect(start([First], [consumed('queue:twice', url), consumed('queue:nobody', url)])).rejects.toThrow('queue queue:nobody has no handler');
    await app?.close();
    app = undefined;
    await expect(start([First, Second], [consumed('queue:twice', url)])).rejects.toThrow('queue queue:twice has more than one handler');
  });
});
