import { Module } from '@nestjs/common';
import { MetricsModule } from '../../infrastructure/metrics/metrics.module';
import { OutboxLagCollector } from '../../infrastructure/metrics/outbox-lag.collector';
import { QueueDepthCollector } from '../../infrastructure/metrics/queue-depth.collector';
import { SqsInfrastructureModule } from '../../infrastructure/sqs/sqs.module';
import { DispatchModule } from '../../modules/dispatch/dispatch.module';
import { OutboxRelayRunner } from '../../modules/dispatch/relay/outbox-relay.runner';

/** The relay role: the outbox relay loop, and the outbox lag and queue depth metrics it is answerable for. */
@Module({
  imports: [DispatchModule, MetricsModule, SqsInfrastructureModule],
  providers: [OutboxRelayRunner, OutboxLagCollector, QueueDepthCollector],
})
export class RelayRoleModule {}
