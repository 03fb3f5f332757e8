import { Module } from '@nestjs/common';
import { LogFlushHook } from '../../infrastructure/logging/log-flush.hook';
import { MetricsModule } from '../../infrastructure/metrics/metrics.module';
import { HttpRequestsMiddleware } from './api/http-requests.middleware';
import { MetricsController } from './api/metrics.controller';

/**
 * GET /metrics on every role, a log line and metrics for every HTTP request, and log flushing at shutdown.
 * The request middleware is mounted by createHeraldApp ahead of the body parsers, not here: module
 * middleware runs after them and would miss the requests they refuse.
 */
@Module({ imports: [MetricsModule], controllers: [MetricsController], providers: [HttpRequestsMiddleware, LogFlushHook], exports: [HttpRequestsMiddleware] })
export class ObservabilityModule {}
