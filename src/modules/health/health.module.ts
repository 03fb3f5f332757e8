import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { DynamoDbStreamsModule } from '../../infrastructure/dynamodb-streams/dynamodb-streams.module';
import { SqsInfrastructureModule } from '../../infrastructure/sqs/sqs.module';
import { SqsHealthIndicator } from '../../infrastructure/sqs/sqs.health';
import { HealthController } from './health.controller';

/** /health/live and /health/ready, served by every role. */
@Module({ imports: [TerminusModule, SqsInfrastructureModule, DynamoDbStreamsModule], controllers: [HealthController], providers: [SqsHealthIndicator] })
export class HealthModule {}
