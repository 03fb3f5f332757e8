import { Module } from '@nestjs/common';
import { DynamoDbStreamsModule } from '../../infrastructure/dynamodb-streams/dynamodb-streams.module';
import { EventSourcesPersistenceModule } from '../../infrastructure/typeorm/event-sources-persistence.module';
import { DynamoDbStreamPoller } from '../../modules/event-sources/dynamodb-stream/dynamodb-stream.poller';
import { EventSourcesModule } from '../../modules/event-sources/event-sources.module';

/** The stream role: reads DynamoDB Streams (shards leased in Postgres) into the event-sources use case. */
@Module({ imports: [EventSourcesModule, EventSourcesPersistenceModule, DynamoDbStreamsModule], providers: [DynamoDbStreamPoller] })
export class StreamRoleModule {}
