import { CreateQueueCommand, GetQueueAttributesCommand, GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Channel } from '../../domain/notification/channel';
import type { HeraldConfig } from '../config/herald-config';

/** Queue URL of every channel Herald may publish to or consume from. */
export class QueueDirectory {
  constructor(
    private readonly urls: ReadonlyMap<Channel, string>,
    /** Set when Herald creates its queues: recreates one that has disappeared (an emulator restart, a deleted queue). */
    private readonly recreate: ((channel: Channel) => Promise<void>) | null = null,
  ) {}

  /**
   * Recreates the channel's queue (and its dead-letter queue) when Herald manages queues; otherwise
   * does nothing and returns false, and a missing queue stays an operator's problem.
   */
  async restore(channel: Channel): Promise<boolean> {
    if (!this.recreate) return false;
    await this.recreate(channel);
    return true;
  }

  /**
   * The directory of a process whose roles use no channel queue (only `stream`): nothing is resolved at boot,
   * so such a process starts without SQS, and any use of a channel queue fails loudly.
   */
  static unused(): QueueDirectory {
    return new UnusedQueueDirectory(new Map());
  }

  /** False in a process whose roles use no channel queue. */
  get inUse(): boolean {
    return true;
  }

  urlOf(channel: Channel): string {
    const url = this.urls.get(channel);
    if (!url) throw new Error(`No queue is configured for channel ${channel}`);
    return url;
  }

  channels(): Channel[] {
    return [...this.urls.keys()];
  }

  /**
   * Resolves (or, when configured, creates) each channel's queue. A created queue gets a dead-letter
   * queue and a redrive policy, so a message that keeps failing ends there instead of cycling forever.
   */
  static async resolve(sqs: SQSClient, config: HeraldConfig, channels: readonly Channel[]): Promise<QueueDirectory> {
    const urls = new Map<Channel, string>();
    const names = new Map<Channel, string>();
    for (const channel of channels) {
      const configured = config.queues.overrides[channel] ?? `${config.queues.prefix}${channel}`;
      if (/^https?:\/\//.test(configured)) {
        urls.set(channel, configured);
        continue;
      }
      if (config.queues.create) {
        names.set(channel, configured);
        urls.set(channel, await createWithDeadLetterQueue(sqs, configured, config));
      } else {
        const found = await sqs.send(new GetQueueUrlCommand({ QueueName: configured }));
        urls.set(channel, found.QueueUrl!);
      }
    }
    const recreate = async (channel: Channel): Promise<void> => {
      const name = names.get(channel);
      if (name) await createWithDeadLetterQueue(sqs, name, config);
    };
    return new QueueDirectory(urls, config.queues.create ? recreate : null);
  }
}

class UnusedQueueDirectory extends QueueDirectory {
  override get inUse(): boolean {
    return false;
  }

  override urlOf(channel: Channel): string {
    throw new Error(`No queue is resolved for channel ${channel}: this process runs no role that uses the channel queues`);
  }
}

export async function createWithDeadLetterQueue(sqs: SQSClient, name: string, config: HeraldConfig): Promise<string> {
  const dlq = await sqs.send(
    new CreateQueueCommand({ QueueName: `${name}-dlq`, Attributes: { MessageRetentionPeriod: String(14 * 24 * 3600) } }),
  );
  const dlqAttributes = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlq.QueueUrl!, AttributeNames: ['QueueArn'] }));
  const created = await sqs.send(
    new CreateQueueCommand({
      QueueName: name,
      Attributes: {
        VisibilityTimeout: String(config.queues.visibilityTimeoutSeconds),
        RedrivePolicy: JSON.stringify({
          deadLetterTargetArn: dlqAttributes.Attributes!.QueueArn,
          maxReceiveCount: config.queues.maxReceiveCount,
        }),
      },
    }),
  );
  return created.QueueUrl!;
}

/** The intake queue's URL: given, created (with its dead-letter queue) when Herald manages queues, or looked up. */
export async function intakeQueueUrl(sqs: SQSClient, queue: string, config: HeraldConfig): Promise<string> {
  if (/^https?:\/\//.test(queue)) return queue;
  if (config.queues.create) return createWithDeadLetterQueue(sqs, queue, config);
  const found = await sqs.send(new GetQueueUrlCommand({ QueueName: queue }));
  return found.QueueUrl!;
}
