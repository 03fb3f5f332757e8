import { Catch, HttpException, HttpStatus, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import {
  DomainError,
  IdempotencyKeyReusedError,
  InboxItemNotFoundError,
  InvalidTransitionError,
  NotificationNotFoundError,
  UnknownScopeError,
  ValidationFailedError,
} from '../../domain/errors/domain-errors';

/** Domain errors to HTTP, in one place. */
function statusOf(err: DomainError): number {
  if (err instanceof ValidationFailedError || err instanceof UnknownScopeError) return HttpStatus.BAD_REQUEST;
  if (err instanceof NotificationNotFoundError) return HttpStatus.NOT_FOUND;
  if (err instanceof InboxItemNotFoundError) return HttpStatus.NOT_FOUND;
  if (err instanceof IdempotencyKeyReusedError) return HttpStatus.UNPROCESSABLE_ENTITY;
  if (err instanceof InvalidTransitionError) return HttpStatus.CONFLICT;
  return HttpStatus.UNPROCESSABLE_ENTITY;
}

const CODE_OF_STATUS: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthenticated',
  403: 'insufficient_scope',
  404: 'not_found',
  413: 'payload_too_large',
  429: 'rate_limited',
};

/** Every error leaves as { error: { code, message, details? } }. */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('Http');

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    if (exception instanceof DomainError) {
      const details = exception instanceof ValidationFailedError ? exception.issues : undefined;
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
        },
      });
      return;
    }
    this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    res.status(500).json({ error: { code: 'internal_error', message: 'Something went wrong; the request may be retried with the same Idempotency-Key' } });
  }
}
