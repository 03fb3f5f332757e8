import { Catch, HttpException, HttpStatus, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import {
  DomainError,
  IdempotencyKeyReusedError,
  InboxItemNotFoundError,
  InvalidTransitionError,
  InvalidWebhookSignatureError,
  NotificationNotCancellableError,
  SuppressionNotFoundError,
  WebhookNotConfiguredError,
  NotificationNotFoundError,
  UnknownScopeError,
  ValidationFailedError,
  RecipientNotFoundError,
  TemplateNotFoundError,
  TopicNotFoundError,
  FanoutNotFoundError,
  TemplateVariablesMissingError,
  ApiKeyNotFoundError,
  InboxTokensDisabledError,
  InboxStreamLimitError,
  WebPushNotConfiguredError,
  WorkflowNotFoundError,
  WorkflowRunNotFoundError,
} from '../../domain/errors/domain-errors';
import { requestIdOf } from './request-id';

/** Domain errors to HTTP, in one place. */
function statusOf(err: DomainError): number {
  if (err instanceof ValidationFailedError || err instanceof UnknownScopeError) return HttpStatus.BAD_REQUEST;
  if (err instanceof NotificationNotFoundError) return HttpStatus.NOT_FOUND;
  if (err instanceof InboxItemNotFoundError) return HttpStatus.NOT_FOUND;
  if (err instanceof RecipientNotFoundError || err instanceof TemplateNotFoundError) return HttpStatus.NOT_FOUND;
  if (err instanceof TopicNotFoundError || err instanceof FanoutNotFoundError) return HttpStatus.NOT_FOUND;
  if (err instanceof WorkflowNotFoundError || err instanceof WorkflowRunNotFoundError) return HttpStatus.NOT_FOUND;
  if (err instanceof ApiKeyNotFoundError) return HttpStatus.NOT_FOUND;
  if (err instanceof InboxTokensDisabledError || err instanceof WebPushNotConfiguredError) return HttpStatus.NOT_FOUND;
  if (err instanceof InboxStreamLimitError) return HttpStatus.TOO_MANY_REQUESTS;
  if (err instanceof IdempotencyKeyReusedError) return HttpStatus.UNPROCESSABLE_ENTITY;
  if (err instanceof InvalidTransitionError) return HttpStatus.CONFLICT;
  if (err instanceof NotificationNotCancellableError) return HttpStatus.CONFLICT;
  if (err instanceof InvalidWebhookSignatureError) return HttpStatus.UNAUTHORIZED;
  if (err instanceof WebhookNotConfiguredError || err instanceof SuppressionNotFoundError) return HttpStatus.NOT_FOUND;
  return HttpStatus.UNPROCESSABLE_ENTITY;
}

const CODE_OF_STATUS: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthenticated',
  403: 'insufficient_scope',
  404: 'not_found',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
};

function isFieldIssues(value: unknown): value is Array<{ field: string; reason: string }> {
  return Array.isArray(value) && value.every((d) => typeof d === 'object' && d !== null && typeof d.field === 'string' && typeof d.reason === 'string');
}

/** A client error raised by Express or its parsers (http-errors: a 4xx `status` that may be shown). */
function clientErrorStatus(exception: unknown): number | null {
  if (!(exception instanceof Error)) return null;
  const { status, expose } = exception as Error & { status?: unknown; expose?: unknown };
  return expose === true && typeof status === 'number' && status >= 400 && status < 500 ? status : null;
}

/** Every error leaves as { error: { code, message, details? } }. */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('Http');

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const req = host.switchToHttp().getRequest<Request>();
    if (exception instanceof DomainError) {
      const details =
        exception instanceof ValidationFailedError || exception instanceof TemplateVariablesMissingError ? exception.issues : undefined;
      if (exception instanceof InboxStreamLimitError) res.setHeader('Retry-After', String(exception.retryAfterSeconds));
      res.status(statusOf(exception)).json({ error: { code: exception.code, message: exception.message, ...(details ? { details } : {}) } });
      return;
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const body = exception.getResponse();
      const given = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
      res.status(status).json({
        error: {
          code: typeof given.code === 'string' ? given.code : (CODE_OF_STATUS[status] ?? `http_${status}`),
          message: typeof given.message === 'string' ? given.message : exception.message,
          ...(isFieldIssues(given.details) ? { details: given.details } : {}),
        },
      });
      return;
    }
    const clientStatus = clientErrorStatus(exception);
    if (clientStatus !== null) {
      res.status(clientStatus).json({ error: { code: CODE_OF_STATUS[clientStatus] ?? `http_${clientStatus}`, message: 'The request cannot be read' } });
      return;
    }
    this.logger.error({
      msg: 'request failed',
      method: req?.method,
      route: (req?.route as { path?: string } | undefined)?.path ?? 'unmatched',
      requestId: req ? requestIdOf(req) : undefined,
      err: exception instanceof Error ? (exception.stack ?? exception.message) : String(exception),
    });
    res.status(500).json({ error: { code: 'internal_error', message: 'Something went wrong; the request may be retried with the same Idempotency-Key' } });
  }
}
