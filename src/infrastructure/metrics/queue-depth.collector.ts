import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { Injectable } from '@nestjs/common';
import { Gauge, Registry } from 'prom-client';
import { QueueDirectory } from '../sqs/queue-directory';
import { sharedSample } from './metrics-registry';

/** Per-channel queue depth (ApproximateNumberOfMessages, and those in flight), asked of SQS when /metrics is scraped. */
@Injectable()
export class QueueDepthCollector {
  constructor(registry: Registry, sqs: SQSClient, queues: QueueDirectory) {
    const sample = sharedSample(() =>
      Promise.all(
        queues.channels().map(async (channel) => {
          const res = await sqs.send(
            new GetQueueAttributesCommand({
              QueueUrl: queues.urlOf(channel),
              AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
            }),
          );
          return {
            channel,
            visible: Number(res.Attributes?.ApproximateNumberOfMessages ?? 0),
            inFlight: Number(res.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0),
          };
        }),
      ),
    );
    new Gauge({
      name: 'herald_queue_depth',
      help: 'Messages waiting in each channel queue (ApproximateNumberOfMessages).',
      labelNames: ['channel'],
      registers: [registry],
      async collect() {
        for (const q of (await sample()) ?? []) this.set({ channel: q.channel }, q.visible);
      },
    });
    new Gauge({
      name: 'herald_queue_in_flight',
      help: 'Messages received by workers and not yet deleted (ApproximateNumberOfMessagesNotVisible).',
      labelNames: ['channel'],
      registers: [registry],
      async collect() {
        for (const q of (await sample()) ?? []) this.set({ channel: q.channel }, q.inFlight);
      },
    });
  }
}
