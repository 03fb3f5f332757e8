import { Module, type DynamicModule } from '@nestjs/common';
import type { Channel } from '../../domain/notification/channel';
import { DispatchModule } from '../../modules/dispatch/dispatch.module';
import { channelQueueConsumer } from '../../modules/dispatch/queue-consumer/channel-queue.consumer';

/** The worker roles (`worker:<channel>`): one queue consumer per channel, all sending through the dispatch module. */
@Module({})
export class WorkerRoleModule {
  static forChannels(channels: readonly Channel[]): DynamicModule {
    return { module: WorkerRoleModule, imports: [DispatchModule], controllers: channels.map(channelQueueConsumer) };
  }
}
