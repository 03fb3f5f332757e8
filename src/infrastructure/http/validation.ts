import { ValidationPipe, type ValidationError } from '@nestjs/common';
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

export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new ValidationFailedError(flattenValidationErrors(errors)),
  });
}
