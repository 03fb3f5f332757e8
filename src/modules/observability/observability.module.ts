import { Module, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { HttpRequestsMiddleware } from './api/http-requests.middleware';
import { MetricsController } from './api/metrics.controller';

/** GET /metrics on every role, and a log line and metrics for every HTTP request. */
@Module({ controllers: [MetricsController], providers: [HttpRequestsMiddleware] })
export class ObservabilityModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(HttpRequestsMiddleware).forRoutes('*');
  }
}
