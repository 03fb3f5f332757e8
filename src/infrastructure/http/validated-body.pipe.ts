import type { ArgumentMetadata, PipeTransform, Type } from '@nestjs/common';
import { conformsToDto } from './dto-conformance';
import { createValidationPipe } from './validation';

/**
 * Validates a request body against a DTO class, with the global pipe's rules and errors, and passes on
 * plain data (the parsed JSON) instead of a class instance. For the busiest routes: a body that
 * `conformsToDto` is passed on as it came; any other goes through the standard ValidationPipe, which
 * throws the usual field-by-field errors (or accepts it, and its instance is turned back into plain data).
 *
 * A route using it declares its body with a non-class type (so the global pipe, which validates only
 * classes, passes the body through untouched) and names the DTO in `@ApiBody` for the OpenAPI document.
 */
export class ValidatedBody implements PipeTransform<unknown, unknown> {
  private readonly standard = createValidationPipe();

  constructor(private readonly dto: Type<object>) {}

  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (conformsToDto(this.dto, value)) return value;
    return this.standard.transform(value, { ...metadata, metatype: this.dto }).then((instance: object) => JSON.parse(JSON.stringify(instance)) as unknown);
  }
}
