import { SendMessageBatchCommand, SQSClient, type SendMessageBatchRequestEntry } from '@aws-sdk/client-sqs';
import { Injectable, Logger } from '@nestjs/common';
import { DispatchQueue, type OutboxEntry, type PublishReport } from '../../domain/ports/outbox.port';
import { HeraldConfig } from '../config/herald-config';
import { dispatchMessageBody } from './dispatch-message';
import { QueueDirectory } from './queue-directory';

/** SQS accepts at most ten entries per SendMessageBatch. */
const SQS_BATCH_LIMIT = 10;
const RETRIES_OF_FAILED_ENTRIES = 2;

@Injectable()
export class SqsDispatchQueuePublisher extends DispatchQueue {
  private readonly logger = new Logger('OutboxRelay');

  constructor(
    private readonly sqs: SQSClient,
    private readonly queues: QueueDirectory,
    private readonly config: HeraldConfig,
  ) {
    super();
  }

  /** Entries become messages of up to RELAY_IDS_PER_MESSAGE notifications, sent ten messages per SendMessageBatch. */
  async publish(entries: OutboxEntry[]): Promise<PublishReport> {
    const perMessage = this.config.relay.idsPerMessage;
    const chunks: OutboxEntry[][][] = [];
    const byChannel = new Map<string, OutboxEntry[]>();
    for (const e of entries) {
      const group = byChannel.get(e.channel);
      if (group) group.push(e);
      else byChannel.set(e.channel, [e]);
    }
    for (const group of byChannel.values()) {
      const messages: OutboxEntry[][] = [];
      for (let i = 0; i < group.length; i += perMessage) messages.push(group.slice(i, i + perMessage));
      for (let i = 0; i < messages.length; i += SQS_BATCH_LIMIT) chunks.push(messages.slice(i, i + SQS_BATCH_LIMIT));
    }
    const reports = await Promise.all(chunks.map((chunk) => this.publishChunk(chunk)));
    return {
      publishedIds: reports.flatMap((r) => r.publishedIds),
      failedIds: reports.flatMap((r) => r.failedIds),
    };
  }

  /** Sends one batch; messages SQS refused are sent again (only those), a few times, then reported as failed. */
  private async publishChunk(chunk: OutboxEntry[][]): Promise<PublishReport> {
    const channel = chunk[0][0].channel;
    const queueUrl = this.queues.urlOf(channel);
    // A batch entry's Id is its first outbox entry's id; it stands for every entry of the message.
    const entriesOf = new Map(chunk.map((message) => [message[0].id, message]));
    let pending: SendMessageBatchRequestEntry[] = chunk.map((message) => ({
      Id: message[0].id,
      MessageBody: dispatchMessageBody(channel, message.map((e) => e.notificationId)),
    }));
    const published: string[] = [];
    for (let attempt = 0; attempt <= RETRIES_OF_FAILED_ENTRIES && pending.length > 0; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, 100 * 2 ** attempt));
      try {
        const result = await this.sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: pending }));
        published.push(...(result.Successful ?? []).map((s) => s.Id!));
        const failed = new Set((result.Failed ?? []).map((f) => f.Id!));
        for (const f of result.Failed ?? []) this.logger.warn(`SQS refused the message of outbox entry ${f.Id}: ${f.Code} ${f.Message}`);
        pending = pending.filter((p) => failed.has(p.Id!));
      } catch (err) {
        this.logger.warn(`SendMessageBatch to ${queueUrl} failed: ${(err as Error).message}`);
        if (isMissingQueue(err)) await this.restoreQueue(channel);
      }
    }
    const idsOf = (messageIds: string[]) => messageIds.flatMap((id) => entriesOf.get(id)!.map((e) => e.id));
    return { publishedIds: idsOf(published), failedIds: idsOf(pending.map((p) => p.Id!)) };
  }

  private async restoreQueue(channel: OutboxEntry['channel']): Promise<void> {
    try {
      if (await this.queues.restore(channel)) this.logger.warn(`the ${channel} queue was missing and has been created again`);
    } catch (err) {
      this.logger.warn(`recreating the ${channel} queue failed: ${(err as Error).message}`);
    }
  }
}

function isMissingQueue(err: unknown): boolean {
  const name = (err as { name?: string; Code?: string }).name;
  return name === 'QueueDoesNotExist' || name === 'AWS.SimpleQueueService.NonExistentQueue';
}
