import { createParamDecorator, type ExecutionContext, type PipeTransform } from '@nestjs/common';
import type { Request } from 'express';
import { ValidationFailedError } from '../../domain/errors/domain-errors';
import { PRINTABLE_ID_PATTERN } from '../../domain/notification/patterns';

/** The `Idempotency-Key` header: absent is null; a present one must be 1-200 printable ASCII characters. */
export class IdempotencyKeyPipe implements PipeTransform<unknown, string | null> {
  transform(value: unknown): string | null {
    if (value === undefined) return null;
    if (typeof value !== 'string' || !PRINTABLE_ID_PATTERN.test(value)) {
      throw new ValidationFailedError([{ field: 'Idempotency-Key', reason: 'must be 1-200 printable ASCII characters without spaces' }]);
    }
    return value;
  }
}

const IdempotencyKeyHeader = createParamDecorator((_: unknown, ctx: ExecutionContext) => ctx.switchToHttp().getRequest<Request>().headers['idempotency-key']);

/** A handler parameter: the request's checked `Idempotency-Key` (`@Headers` takes no pipe). */
export const IdempotencyKey = (): ParameterDecorator => IdempotencyKeyHeader(undefined, new IdempotencyKeyPipe());
