import { SQSClient } from '@aws-sdk/client-sqs';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { Module, type OnApplicationShutdown } from '@nestjs/common';
import { DispatchQueue } from '../../domain/ports/outbox.port';
import { HeraldConfig } from '../config/herald-config';
import { ROLES, usesChannelQueues, workerChannels } from '../config/roles';
import { DeadLetterQueue } from '../../domain/ports/dead-letter-queue.port';
import { QueueDirectory } from './queue-directory';
import { SqsDeadLetterQueueAdapter } from './sqs-dead-letter-queue.adapter';
import { SqsDispatchQueuePublisher } from './sqs-dispatch-queue.publisher';

export function createSqsClient(config: HeraldConfig): SQSClient {
  return new SQSClient({
    region: config.aws.region,
    // An explicit endpoint also stops the SDK from sending requests to the host in an emulator's queue URL.
    ...(config.aws.sqsEndpoint ? { endpoint: config.aws.sqsEndpoint } : {}),
    // Without timeouts a hung connection would stall the relay (holding its outbox rows) or a worker forever.
    // Long polls wait up to SQS_WAIT_TIME_SECONDS, so requests may take that long plus a margin.
    requestHandler: new NodeHttpHandler({
      connectionTimeout: 3_000,
      requestTimeout: (config.queues.waitTimeSeconds + 10) * 1000,
    }),
  });
}

/** SQS binding: the client, every channel's queue, and the DispatchQueue port. */
@Module({
  providers: [
    { provide: SQSClient, inject: [HeraldConfig], useFactory: createSqsClient },
    {
      provide: QueueDirectory,
      inject: [SQSClient, HeraldConfig],
      // The relay publishes to every deliverable channel's queue, whatever roles this process runs. A process that
      // runs only roles without SQS (the stream role) resolves nothing, so it starts with no SQS configured.
      useFactory: (sqs: SQSClient, config: HeraldConfig) =>
        usesChannelQueues(config.roles) ? QueueDirectory.resolve(sqs, config, workerChannels([...ROLES])) : QueueDirectory.unused(),
    },
    { provide: DispatchQueue, useClass: SqsDispatchQueuePublisher },
    { provide: DeadLetterQueue, useClass: SqsDeadLetterQueueAdapter },
  ],
  exports: [SQSClient, QueueDirectory, DispatchQueue, DeadLetterQueue],
})
export class SqsInfrastructureModule implements OnApplicationShutdown {
  constructor(private readonly sqs: SQSClient) {}

  onApplicationShutdown(): void {
    this.sqs.destroy();
  }
}
