import { Module, type DynamicModule } from '@nestjs/common';
import type { Channel } from '../../domain/notification/channel';
import { ProviderHealthPersistenceModule } from '../../infrastructure/typeorm/provider-health-persistence.module';
import { DispatchModule } from '../../modules/dispatch/dispatch.module';
import { channelQueueConsumer } from '../../modules/dispatch/queue-consumer/channel-queue.consumer';
import { BreakerStateReporter } from '../../modules/dispatch/routing/breaker-state.reporter';

/**
 * The worker roles (`worker:<channel>`): one queue consumer per channel, all sending through the dispatch module,
 * and the report of this process's circuit breakers to the database.
 */
@Module({})
export class WorkerRoleModule {
  static forChannels(channels: readonly Channel[]): DynamicModule {
    return {
      module: WorkerRoleModule,
      imports: [DispatchModule, ProviderHealthPersistenceModule],
      controllers: channels.map(channelQueueConsumer),
      providers: [BreakerStateReporter],
    };
  }
}
