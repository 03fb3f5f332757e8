import { Module } from '@nestjs/common';
import { TopicStore } from '../../domain/ports/topic-store.port';
import { TopicFanoutStore } from '../../domain/ports/topic-fanout.port';
import { TopicStoreTypeormRepository } from './topic-store.typeorm-repository';
import { TopicFanoutTypeormRepository } from './topic-fanout.typeorm-repository';

/** PostgreSQL binding for topics, their subscribers and fan-out progress. */
@Module({
  providers: [
    { provide: TopicStore, useClass: TopicStoreTypeormRepository },
    { provide: TopicFanoutStore, useClass: TopicFanoutTypeormRepository },
  ],
  exports: [TopicStore, TopicFanoutStore],
})
export class TopicsPersistenceModule {}
