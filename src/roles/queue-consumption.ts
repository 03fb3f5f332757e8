import { SQSClient } from '@aws-sdk/client-sqs';
import { Injectable, Logger, type INestApplication, type OnApplicationBootstrap } from '@nestjs/common';
import type { HeraldConfig } from '../infrastructure/config/herald-config';
import { workerChannels } from '../infrastructure/config/roles';
import { intakeQueueUrl, QueueDirectory } from '../infrastructure/sqs/queue-directory';
import { SqsQueueTransport, type ConsumedQueue } from '../infrastructure/sqs/sqs-queue.transport';
import { channelQueuePattern } from '../modules/dispatch/queue-consumer/channel-queue.consumer';
import { INTAKE_QUEUE_PATTERN } from '../modules/event-sources/intake-queue/intake-queue.consumer';

/** The queues this process's roles consume: each worker role's channel queue, and the intake queue. */
export function consumedQueues(config: HeraldConfig, sqs: SQSClient, directory: QueueDirectory): ConsumedQueue[] {
  const queues: ConsumedQueue[] = workerChannels(config.roles).map((channel) => ({
    pattern: channelQueuePattern(channel),
    url: () => Promise.resolve(directory.urlOf(channel)),
    batchSize: 10,
    pollers: config.dispatch.concurrency,
    // A missing queue (recreated by the relay after an outage) is tried again soon.
    backoffMs: (failures) => Math.min(2000, 250 * 2 ** (failures - 1)),
  }));
  if (config.roles.includes('intake')) {
    const queue = config.intake.queue;
    if (queue) queues.push({ pattern: INTAKE_QUEUE_PATTERN, url: once(() => intakeQueueUrl(sqs, queue, config)), batchSize: config.intake.batchSize, pollers: config.intake.concurrency, withAttributes: true, backoffMs: (failures) => Math.min(30_000, 500 * 2 ** failures) });
    else new Logger('IntakeQueue').log('intake role: INTAKE_QUEUE is not set, so no intake queue is read');
  }
  return queues;
}

/**
 * Queue consumption runs as a NestJS microservice inside the process (which keeps serving health and metrics
 * over HTTP). It starts with the application, after the providers are initialised, whether the caller runs
 * `init()` or `listen()`; it stops (drained) when the application closes, before the database pool does.
 */
@Injectable()
export class QueueConsumption implements OnApplicationBootstrap {
  private app: INestApplication | null = null;

  async onApplicationBootstrap(): Promise<void> {
    await this.app?.startAllMicroservices();
  }

  connect(app: INestApplication, config: HeraldConfig): void {
    const sqs = app.get(SQSClient);
    const queues = consumedQueues(config, sqs, app.get(QueueDirectory));
    if (queues.length === 0) return;
    app.connectMicroservice(
      {
        strategy: new SqsQueueTransport({
          sqs,
          waitTimeSeconds: config.queues.waitTimeSeconds,
          visibilityTimeoutSeconds: config.queues.visibilityTimeoutSeconds,
          queues,
        }),
      },
      // The HTTP app's global pipes, guards and filters are for HTTP requests, not queue messages.
      { inheritAppConfig: false },
    );
    this.app = app;
  }
}

/** Resolves once for every poller; tried again after a failure. */
function once(resolve: () => Promise<string>): () => Promise<string> {
  let pending: Promise<string> | null = null;
  return () => {
    pending ??= resolve().catch((err: unknown) => {
      pending = null;
      throw err;
    });
    return pending;
  };
}
