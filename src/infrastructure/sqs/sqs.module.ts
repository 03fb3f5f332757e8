import { SQSClient } from '@aws-sdk/client-sqs';
import { Global, Module, type OnApplicationShutdown } from '@nestjs/common';
import { DispatchQueue } from '../../domain/ports/outbox.port';
import { HeraldConfig } from '../config/herald-config';
import { ROLES, workerChannels } from '../config/roles';
import { DeadLetterQueue } from '../../domain/ports/dead-letter-queue.port';
import { QueueDirectory } from './queue-directory';
import { SqsDeadLetterQueueAdapter } from './sqs-dead-letter-queue.adapter';
import { SqsDispatchQueuePublisher } from './sqs-dispatch-queue.publisher';

export function createSqsClient(config: HeraldConfig): SQSClient {
  // An explicit endpoint also stops the SDK from sending requests to the host in an emulator's queue URL.
  return new SQSClient({ region: config.aws.region, ...(config.aws.sqsEndpoint ? { endpoint: config.aws.sqsEndpoint } : {}) });
}

/** SQS binding: the client, every channel's queue, and the DispatchQueue port. */
@Global()
@Module({
  providers: [
    { provide: SQSClient, inject: [HeraldConfig], useFactory: createSqsClient },
    {
      provide: QueueDirectory,
      inject: [SQSClient, HeraldConfig],
      // The relay publishes to every deliverable channel's queue, whatever roles this process runs.
      useFactory: (sqs: SQSClient, config: HeraldConfig) => QueueDirectory.resolve(sqs, config, workerChannels([...ROLES])),
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
