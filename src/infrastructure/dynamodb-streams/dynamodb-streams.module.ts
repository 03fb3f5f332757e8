import { Global, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { DynamoDbStreamReader } from './dynamodb-stream.reader';
import { StreamActivity } from './stream-activity';
import { StreamHealthIndicator } from './stream.health';

/** DynamoDB Streams binding: the reader, and what the poller reports to health checks. */
@Global()
@Module({
  imports: [TerminusModule],
  providers: [DynamoDbStreamReader, StreamActivity, StreamHealthIndicator],
  exports: [DynamoDbStreamReader, StreamActivity, StreamHealthIndicator],
})
export class DynamoDbStreamsModule {}
