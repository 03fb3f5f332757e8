import { Injectable, Logger, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { requestIdOf } from '../../../infrastructure/http/request-id';
import { redactPath } from '../../../infrastructure/logging/redact-path';
import { HttpRequestMetrics } from '../../../infrastructure/metrics/http-request.metrics';

/**
 * One JSON log line and the request metrics per HTTP request. Logs the method, the route pattern and the
 * path without its query string, never headers or bodies (they carry API keys and message content). Addresses,
 * phone numbers and tracking tokens in the path are redacted (`redactPath`).
 */
@Injectable()
export class HttpRequestsMiddleware implements NestMiddleware {
  private readonly logger = new Logger('Http');

  constructor(private readonly metrics: HttpRequestMetrics) {}

  use(req: Request, res: Response, next: NextFunction): void {
    const started = performance.now();
    res.on('finish', () => {
      const seconds = (performance.now() - started) / 1000;
      const route = (req.route as { path?: string } | undefined)?.path ?? 'unmatched';
      this.metrics.observe(req.method, route, res.statusCode, seconds);
      // Probes and scrapes every few seconds would drown the lines that matter.
      if (route === '/metrics' || route.startsWith('/health')) return;
      this.logger.log({
        msg: 'http request',
        method: req.method,
        route,
        path: redactPath(req.originalUrl),
        status: res.statusCode,
        durationMs: Math.round(seconds * 10_000) / 10,
        requestId: requestIdOf(req),
      });
    });
    next();
  }
}
