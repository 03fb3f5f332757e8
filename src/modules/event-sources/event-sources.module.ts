import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import type { Role } from '../../infrastructure/config/roles';
import { IngestionModule } from '../ingestion/ingestion.module';
import { RejectedEventsController } from './api/rejected-events.controller';
import { IngestEvents } from './application/ingest-events.use-case';
import { ListRejectedEvents } from './application/list-rejected-events.use-case';
import { DynamoDbStreamPoller } from './consumers/dynamodb-stream.poller';
import { IntakeQueueConsumer } from './consumers/intake-queue.consumer';

/**
 * Events that become notifications without the API: DynamoDB Streams (stream role) and the intake queue (intake role);
 * the api role lists the rejected ones.
 */
@Module({})
export class EventSourcesModule {
  static forRoles(roles: readonly Role[]): DynamicModule {
    const providers: Provider[] = [IngestEvents, ListRejectedEvents];
    if (roles.includes('stream')) providers.push(DynamoDbStreamPoller);
    if (roles.includes('intake')) providers.push(IntakeQueueConsumer);
    return {
      module: EventSourcesModule,
      imports: [IngestionModule.register({ http: false })],
      controllers: roles.includes('api') ? [RejectedEventsController] : [],
      providers,
      exports: [IngestEvents],
    };
  }
}
