import { Module } from '@nestjs/common';
import { ShardLeases } from '../../domain/ports/shard-leases.port';
import { RejectedEventLog } from '../../domain/ports/rejected-event-log.port';
import { ShardLeasesTypeormRepository } from './shard-leases.typeorm-repository';
import { RejectedEventLogTypeormRepository } from './rejected-event-log.typeorm-repository';

/** PostgreSQL binding for stream shard leases with their checkpoints, and the rejected-event log. */
@Module({
  providers: [
    { provide: ShardLeases, useClass: ShardLeasesTypeormRepository },
    { provide: RejectedEventLog, useClass: RejectedEventLogTypeormRepository },
  ],
  exports: [ShardLeases, RejectedEventLog],
})
export class EventSourcesPersistenceModule {}
