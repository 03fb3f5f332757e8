import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
  type Message,
} from '@aws-sdk/client-sqs';
import { Injectable } from '@nestjs/common';
import type { Channel } from '../../domain/notification/channel';
import { DeadLetterQueue, type DeadLetter, type DeadLetterRedriveReport } from '../../domain/ports/dead-letter-queue.port';
import { notificationIdsOf } from './dispatch-message';
import { QueueDirectory } from './queue-directory';

/** Receive rounds per call: bounds the work of one request on a large dead-letter queue. */
const MAX_ROUNDS = 50;
const HOLD_SECONDS = 60;

/**
 * Reads and redrives a channel queue's dead-letter queue, found from the queue's redrive policy.
 * SQS has no peek: messages are received with a visibility timeout, and the ones not moved are made
 * visible again at the end of the call.
 */
@Injectable()
export class SqsDeadLetterQueueAdapter extends DeadLetterQueue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queues: QueueDirectory,
  ) {
    super();
  }

  async peek(channel: Channel, limit: number): Promise<DeadLetter[]> {
    const dlq = await this.deadLetterQueueUrl(channel);
    const seen = new Map<string, Message>();
    try {
      for (let round = 0; round < MAX_ROUNDS && seen.size < limit; round++) {
        const fresh = (await this.receive(dlq, Math.min(10, limit - seen.size))).filter((m) => !seen.has(m.MessageId!));
        if (fresh.length === 0) break;
        for (const m of fresh) seen.set(m.MessageId!, m);
      }
    } finally {
      await this.release(dlq, [...seen.values()]);
    }
    return [...seen.values()].map((m) => ({
      messageId: m.MessageId!,
      body: m.Body ?? '',
      receiveCount: Number(m.Attributes?.ApproximateReceiveCount ?? 0),
      sentAt: m.Attributes?.SentTimestamp ? new Date(Number(m.Attributes.SentTimestamp)) : null,
      notificationIds: notificationIdsOf(m.Body, channel) ?? [],
    }));
  }

  async redrive(channel: Channel, messageIds: string[] | null): Promise<DeadLetterRedriveReport> {
    const dlq = await this.deadLetterQueueUrl(channel);
    const target = this.queues.urlOf(channel);
    const wanted = messageIds ? new Set(messageIds) : null;
    const kept: Message[] = [];
    const seen = new Set<string>();
    const report: DeadLetterRedriveReport = { redriven: 0, poison: 0 };
    try {
      for (let round = 0; round < MAX_ROUNDS; round++) {
        const fresh = (await this.receive(dlq, 10)).filter((m) => !seen.has(m.MessageId!));
        if (fresh.length === 0) break;
        for (const m of fresh) {
          seen.add(m.MessageId!);
          if (wanted && !wanted.has(m.MessageId!)) {
            kept.push(m);
          } else if (!notificationIdsOf(m.Body, channel)) {
            report.poison++;
            kept.push(m);
          } else {
            // Sent before it is deleted: a crash in between leaves a duplicate message, which the claim absorbs.
            await this.sqs.send(new SendMessageCommand({ QueueUrl: target, MessageBody: m.Body! }));
            await this.sqs.send(new DeleteMessageCommand({ QueueUrl: dlq, ReceiptHandle: m.ReceiptHandle! }));
            report.redriven++;
          }
        }
        if (wanted && report.redriven + report.poison >= wanted.size) break;
      }
    } finally {
      await this.release(dlq, kept);
    }
    return report;
  }

  private async receive(queueUrl: string, max: number): Promise<Message[]> {
    const res = await this.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: max,
        WaitTimeSeconds: 0,
        VisibilityTimeout: HOLD_SECONDS,
        MessageSystemAttributeNames: ['ApproximateReceiveCount', 'SentTimestamp'],
      }),
    );
    return res.Messages ?? [];
  }

  private async release(queueUrl: string, messages: Message[]): Promise<void> {
    await Promise.all(
      messages.map((m) =>
        this.sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: queueUrl, ReceiptHandle: m.ReceiptHandle!, VisibilityTimeout: 0 })).catch(() => undefined),
      ),
    );
  }

  private async deadLetterQueueUrl(channel: Channel): Promise<string> {
    const res = await this.sqs.send(new GetQueueAttributesCommand({ QueueUrl: this.queues.urlOf(channel), AttributeNames: ['RedrivePolicy'] }));
    const policy = res.Attributes?.RedrivePolicy;
    if (!policy) throw new Error(`the ${channel} queue has no redrive policy, so no dead-letter queue`);
    const arn = (JSON.parse(policy) as { deadLetterTargetArn: string }).deadLetterTargetArn;
    const found = await this.sqs.send(new GetQueueUrlCommand({ QueueName: arn.split(':').pop()! }));
    return found.QueueUrl!;
  }
}
