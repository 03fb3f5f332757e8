import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { MetricsModule } from '../metrics/metrics.module';
import { DynamoDbStreamReader } from './dynamodb-stream.reader';
import { StreamActivity } from './stream-activity';
import { StreamHealthIndicator } from './stream.health';

/** DynamoDB Streams binding: the reader, and what the poller reports to health checks. */
@Module({
  imports: [TerminusModule, MetricsModule],
  providers: [DynamoDbStreamReader, StreamActivity, StreamHealthIndicator],
  exports: [DynamoDbStreamReader, StreamActivity, StreamHealthIndicator],
})
export class DynamoDbStreamsModule {}
