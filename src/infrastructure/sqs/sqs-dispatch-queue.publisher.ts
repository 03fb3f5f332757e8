import { SendMessageBatchCommand, SQSClient, type SendMessageBatchRequestEntry } from '@aws-sdk/client-sqs';
import { Injectable, Logger } from '@nestjs/common';
import { DispatchQueue, type OutboxEntry, type PublishReport } from '../../domain/ports/outbox.port';
import { QueueDirectory } from './queue-directory';

/** SQS accepts at most ten entries per SendMessageBatch. */
const SQS_BATCH_LIMIT = 10;
const RETRIES_OF_FAILED_ENTRIES = 2;

export interface DispatchMessage {
  notificationId: string;
  channel: string;
}

@Injectable()
export class SqsDispatchQueuePublisher extends DispatchQueue {
  private readonly logger = new Logger('OutboxRelay');

  constructor(
    private readonly sqs: SQSClient,
    private readonly queues: QueueDirectory,
  ) {
    super();
  }

  async publish(entries: OutboxEntry[]): Promise<PublishReport> {
    const chunks: OutboxEntry[][] = [];
    const byChannel = new Map<string, OutboxEntry[]>();
    for (const e of entries) byChannel.set(e.channel, [...(byChannel.get(e.channel) ?? []), e]);
    for (const group of byChannel.values()) {
      for (let i = 0; i < group.length; i += SQS_BATCH_LIMIT) chunks.push(group.slice(i, i + SQS_BATCH_LIMIT));
    }
    const reports = await Promise.all(chunks.map((chunk) => this.publishChunk(chunk)));
    return {
      publishedIds: reports.flatMap((r) => r.publishedIds),
      failedIds: reports.flatMap((r) => r.failedIds),
    };
  }

  /** Sends one batch; entries SQS refused are sent again (only those), a few times, then reported as failed. */
  private async publishChunk(chunk: OutboxEntry[]): Promise<PublishReport> {
    const queueUrl = this.queues.urlOf(chunk[0].channel);
    let pending: SendMessageBatchRequestEntry[] = chunk.map((e) => ({
      Id: e.id,
      MessageBody: JSON.stringify({ notificationId: e.notificationId, channel: e.channel } satisfies DispatchMessage),
    }));
    const published: string[] = [];
    for (let attempt = 0; attempt <= RETRIES_OF_FAILED_ENTRIES && pending.length > 0; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, 100 * 2 ** attempt));
      try {
        const result = await this.sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: pending }));
        published.push(...(result.Successful ?? []).map((s) => s.Id!));
        const failed = new Set((result.Failed ?? []).map((f) => f.Id!));
        for (const f of result.Failed ?? []) this.logger.warn(`SQS refused outbox entry ${f.Id}: ${f.Code} ${f.Message}`);
        pending = pending.filter((p) => failed.has(p.Id!));
      } catch (err) {
        this.logger.warn(`SendMessageBatch to ${queueUrl} failed: ${(err as Error).message}`);
        if (isMissingQueue(err)) await this.restoreQueue(chunk[0].channel);
      }
    }
    return { publishedIds: published, failedIds: pending.map((p) => p.Id!) };
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
