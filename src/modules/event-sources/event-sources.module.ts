import { Module } from '@nestjs/common';
import { EventSourcesPersistenceModule } from '../../infrastructure/typeorm/event-sources-persistence.module';
import { IngestionModule } from '../ingestion/ingestion.module';
import { WorkflowsModule } from '../workflows/workflows.module';
import { IngestEvents } from './application/ingest-events.use-case';
import { ListRejectedEvents } from './application/list-rejected-events.use-case';

/**
 * Events that become notifications or workflow runs without the API: DynamoDB Streams (stream role, or the Lambda handler) and
 * the intake queue (intake role); the rejected ones are listed by the API.
 */
@Module({ imports: [IngestionModule, WorkflowsModule, EventSourcesPersistenceModule], providers: [IngestEvents, ListRejectedEvents], exports: [IngestEvents, ListRejectedEvents] })
export class EventSourcesModule {}
