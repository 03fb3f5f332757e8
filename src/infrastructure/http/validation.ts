import { ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
import { ValidationFailedError, type FieldIssue } from '../../domain/errors/domain-errors';

/** Flattens class-validator's tree into `recipient.email: must be a valid email address`, one entry per problem. */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldIssue[] {
  const issues: FieldIssue[] = [];
  for (const error of errors) {
    const field = /^\d+$/.test(error.property) ? `${parent}[${error.property}]` : parent ? `${parent}.${error.property}` : error.property;
    for (const message of Object.values(error.constraints ?? {})) {
      const reason = message.replace(new RegExp(`^(property )?${error.property.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} `), '');
      issues.push({ field, reason });
    }
    if (error.children?.length) issues.push(...flattenValidationErrors(error.children, field));
  }
  return issues;
}

/**
 * A route that declares a body DTO needs a body: the standard pipe would validate nothing as `{}`, and a
 * PUT of nothing would replace a stored record with an empty one.
 */
class HeraldValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' && value === undefined && metadata.metatype && this.toValidate(metadata)) {
      throw new ValidationFailedError([{ field: 'body', reason: 'is required: a JSON object sent with Content-Type: application/json' }]);
    }
    return super.transform(value, metadata) as Promise<unknown>;
  }

  /**
   * A path or query value declared as a number is converted only from decimal notation: Number() would
   * also read `0x10`, `1e3` and the empty string, and the route's own pipe would then see a number.
   */
  protected override transformPrimitive(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.metatype === Number && typeof value === 'string' && !/^-?\d+(\.\d+)?$/.test(value)) return value;
    return super.transformPrimitive(value, metadata);
  }
}

export function createValidationPipe(): ValidationPipe {
  return new HeraldValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new ValidationFailedError(flattenValidationErrors(errors)),
  });
}
