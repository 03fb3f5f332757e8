import { Module } from '@nestjs/common';
import { EventSourcesModule } from '../../modules/event-sources/event-sources.module';
import { IntakeQueueConsumer } from '../../modules/event-sources/intake-queue/intake-queue.consumer';

/** The intake role: the intake queue's consumer, feeding the event-sources use case. */
@Module({ imports: [EventSourcesModule], controllers: [IntakeQueueConsumer] })
export class IntakeRoleModule {}
