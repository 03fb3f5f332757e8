import { DeleteMessageBatchCommand, ReceiveMessageCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';
import { Logger } from '@nestjs/common';
import { Server, type CustomTransportStrategy, type MessageHandler } from '@nestjs/microservices';
import { isObservable, lastValueFrom } from 'rxjs';

/** What a queue handler returns: the messages whose work is committed (deleted), and whether to back off. */
export interface QueueBatchOutcome {
  done: Message[];
  /** The batch could not be processed: pause this poller before it receives again. */
  failed?: boolean;
}

/** A queue this process consumes; its handler is the one method declared with `@EventPattern(pattern)`. */
export interface ConsumedQueue {
  pattern: string;
  url: () => Promise<string>;
  /** At most 10 (SQS's limit per receive). */
  batchSize: number;
  /** Receive loops on this queue, each with one batch in flight. */
  pollers: number;
  /** Intake producers may set message attributes; channel messages carry none. */
  withAttributes?: boolean;
  /** Pause after the given number of failed rounds in a row. */
  backoffMs: (failures: number) => number;
}

export interface SqsQueueTransportOptions {
  sqs: SQSClient;
  waitTimeSeconds: number;
  visibilityTimeoutSeconds: number;
  queues: ConsumedQueue[];
}

/**
 * The one way Herald consumes SQS: N receive loops per queue, each handing a batch to the queue's handler and
 * deleting only the messages the handler reports as committed; anything else comes back after the visibility
 * timeout, and the queue's redrive policy moves what keeps failing to its dead-letter queue. Closing aborts the
 * long polls, lets the batches in flight finish and their deletes go out, then resolves (the application closes
 * its database pool only after that).
 */
export class SqsQueueTransport extends Server implements CustomTransportStrategy {
  private readonly log = new Logger('SqsQueues');
  /** Aborts the long polls and pauses under way, one per poller. */
  private readonly interrupts = new Set<() => void>();
  private running = false;
  private pollers: Array<Promise<void>> = [];

  constructor(private readonly options: SqsQueueTransportOptions) {
    super();
  }

  listen(callback: (err?: unknown) => void): void {
    let handlers: Map<ConsumedQueue, MessageHandler>;
    try {
      handlers = this.handlersOfQueues();
    } catch (err) {
      callback(err);
      return;
    }
    this.running = true;
    for (const [queue, handler] of handlers) {
      for (let i = 0; i < queue.pollers; i++) this.pollers.push(this.poll(queue, handler));
    }
    callback();
  }

  async close(): Promise<void> {
    this.running = false;
    for (const interrupt of this.interrupts) interrupt();
    await Promise.all(this.pollers);
    this.pollers = [];
  }

  on(): never {
    throw new Error('SqsQueueTransport emits no events');
  }

  unwrap<T>(): T {
    return this.options.sqs as T;
  }

  /** Every consumed queue has exactly one event handler, or the process does not start. */
  private handlersOfQueues(): Map<ConsumedQueue, MessageHandler> {
    const problems: string[] = [];
    const handlers = new Map<ConsumedQueue, MessageHandler>();
    for (const queue of this.options.queues) {
      const handler = this.getHandlerByPattern(queue.pattern);
      if (!handler) problems.push(`queue ${queue.pattern} has no handler`);
      else if (handler.next) problems.push(`queue ${queue.pattern} has more than one handler`);
      else if (!handler.isEventHandler) problems.push(`queue ${queue.pattern} is handled by a @MessagePattern; use @EventPattern`);
      else handlers.set(queue, handler);
    }
    if (problems.length) throw new Error(`queue consumers are not wired right: ${problems.join('; ')}`);
    return handlers;
  }

  private async poll(queue: ConsumedQueue, handler: MessageHandler): Promise<void> {
    let url: string | null = null;
    let failures = 0;
    while (this.running) {
      let failed = false;
      try {
        const queueUrl = (url ??= await queue.url());
        const messages = await this.receive(queue, queueUrl);
        if (messages.length > 0) {
          const outcome = await this.handle(handler, messages);
          // Not aborted on close: the work is committed, so its messages must go.
          if (outcome.done.length > 0) await this.delete(queueUrl, outcome.done);
          failed = outcome.failed === true;
        }
      } catch (err) {
        // A long poll cut short because the process is stopping is expected, not a failure.
        if (!this.running) return;
        failed = true;
        this.log.error(`queue ${queue.pattern}: ${(err as Error).message}`);
      }
      failures = failed ? failures + 1 : 0;
      if (failed) await this.pause(queue.backoffMs(failures));
    }
  }

  private receive(queue: ConsumedQueue, url: string): Promise<Message[]> {
    const { sqs, waitTimeSeconds, visibilityTimeoutSeconds } = this.options;
    const command = new ReceiveMessageCommand({
      QueueUrl: url,
      MaxNumberOfMessages: queue.batchSize,
      WaitTimeSeconds: waitTimeSeconds,
      VisibilityTimeout: visibilityTimeoutSeconds,
      ...(queue.withAttributes ? { MessageAttributeNames: ['All'] } : {}),
    });
    return this.interruptible(async (abortSignal) => (await sqs.send(command, { abortSignal })).Messages ?? []);
  }

  private async handle(handler: MessageHandler, messages: Message[]): Promise<QueueBatchOutcome> {
    const result: unknown = await handler(messages);
    return (isObservable(result) ? await lastValueFrom(result) : result) as QueueBatchOutcome;
  }

  private async delete(url: string, messages: Message[]): Promise<void> {
    for (let i = 0; i < messages.length; i += 10) {
      const chunk = messages.slice(i, i + 10);
      await this.options.sqs.send(new DeleteMessageBatchCommand({ QueueUrl: url, Entries: chunk.map((m, j) => ({ Id: String(j), ReceiptHandle: m.ReceiptHandle! })) }));
    }
  }

  private async interruptible<T>(run: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    const interrupt = () => controller.abort();
    this.interrupts.add(interrupt);
    try {
      return await run(controller.signal);
    } finally {
      this.interrupts.delete(interrupt);
    }
  }

  private pause(ms: number): Promise<void> {
    if (!this.running) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.interrupts.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.interrupts.add(done);
    });
  }
}
