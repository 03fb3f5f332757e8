import { Module, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { LogFlushHook } from '../../infrastructure/logging/log-flush.hook';
import { HttpRequestsMiddleware } from './api/http-requests.middleware';
import { MetricsController } from './api/metrics.controller';

/** GET /metrics on every role, a log line and metrics for every HTTP request, and log flushing at shutdown. */
@Module({ controllers: [MetricsController], providers: [HttpRequestsMiddleware, LogFlushHook] })
export class ObservabilityModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(HttpRequestsMiddleware).forRoutes('*');
  }
}
