import type { INestApplication, LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module';
import type { HeraldConfig } from './infrastructure/config/herald-config';
import { bodyErrorsMiddleware } from './infrastructure/http/body-errors.middleware';
import { BodyMediaTypeInterceptor, YAML_MEDIA_TYPES } from './infrastructure/http/body-media-type';
import { HttpErrorFilter } from './infrastructure/http/http-error.filter';
import { inboxCors } from './infrastructure/http/inbox-cors.middleware';
import { securityHeaders } from './infrastructure/http/security-headers';
import { mountSwagger } from './infrastructure/http/swagger';
import { mountConsole } from './infrastructure/http/console-assets';
import { requestEdgeMiddleware } from './infrastructure/http/request-edge.middleware';
import { requestIdMiddleware } from './infrastructure/http/request-id';
import { createValidationPipe } from './infrastructure/http/validation';
import { JsonLogger } from './infrastructure/logging/json-logger';
import { HttpRequestsMiddleware } from './modules/observability/api/http-requests.middleware';
import { QueueConsumption } from './roles/queue-consumption';

/**
 * Builds a Herald process for the configured roles. Every role serves HTTP (at least health and docs); the roles
 * that consume queues also run the SQS transport.
 */
export async function createHeraldApp(config: HeraldConfig, logger: LoggerService | false = new JsonLogger(config.log.level)): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forConfig(config), {
    bodyParser: false,
    // Kept as req.rawBody: signed provider webhooks (SendGrid) are verified over the exact bytes.
    rawBody: true,
    logger: logger === false ? false : logger,
    abortOnError: false,
  });
  app.disable('x-powered-by');
  app.use(securityHeaders({ publicUrl: config.http.publicUrl }));
  app.use(requestIdMiddleware);
  // Before the body parsers, so that requests they refuse (413, malformed JSON, 415) are logged and counted too.
  const accessLog = app.get(HttpRequestsMiddleware);
  app.use(accessLog.use.bind(accessLog));
  // Before the body parsers and the guards: a preflight carries neither a body nor a token, and every answer of
  // those routes, refusals included, must carry the grant for the page to read it.
  app.use(inboxCors({ allowedOrigins: config.inboxAccess.allowedOrigins }));
  // Per-client limits count the client's address, which behind a proxy only the trusted proxies can name.
  app.set('trust proxy', config.http.trustProxy);
  app.useBodyParser('json', { limit: config.http.bodyLimitBytes });
  // Form posts (one-click unsubscribe, the hosted preference page, Twilio webhooks) and SNS, which posts JSON as text/plain.
  app.useBodyParser('text', { limit: config.http.bodyLimitBytes });
  app.useBodyParser('urlencoded', { limit: config.http.bodyLimitBytes, extended: false });
  // Workflow definitions may be written in YAML (PUT /v1/workflows/{key}): read as text, parsed by the route.
  app.useBodyParser('text', { limit: config.http.bodyLimitBytes, type: YAML_MEDIA_TYPES });
  app.use(bodyErrorsMiddleware);
  app.use(requestEdgeMiddleware);
  app.useGlobalInterceptors(new BodyMediaTypeInterceptor());
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new HttpErrorFilter());
  mountSwagger(app);
  // The console is a client of the API: only a process that serves the API serves it.
  if (config.roles.includes('api')) mountConsole(app);
  app.get(QueueConsumption).connect(app, config);
  return app;
}
