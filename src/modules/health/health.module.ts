import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { SqsHealthIndicator } from '../../infrastructure/sqs/sqs.health';
import { HealthController } from './health.controller';

/** /health/live and /health/ready, served by every role. */
@Module({ imports: [TerminusModule], controllers: [HealthController], providers: [SqsHealthIndicator] })
export class HealthModule {}
