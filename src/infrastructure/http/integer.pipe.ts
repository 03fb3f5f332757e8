import type { ArgumentMetadata, PipeTransform } from '@nestjs/common';
import { ValidationFailedError } from '../../domain/errors/domain-errors';

/**
 * A path or query integer in decimal digits within [min, max]: unlike ParseIntPipe, a value past what the
 * column holds (`99999999999999999999`) is a 400 naming the parameter, not a database error.
 */
export class IntegerPipe implements PipeTransform<unknown, number | undefined> {
  constructor(private readonly options: { min: number; max: number; optional?: boolean }) {}

  transform(value: unknown, metadata: ArgumentMetadata): number | undefined {
    if (value === undefined && this.options.optional) return undefined;
    const { min, max } = this.options;
    const n = typeof value === 'string' && /^-?\d{1,16}$/.test(value) ? Number(value) : typeof value === 'number' ? value : NaN;
    if (!Number.isSafeInteger(n) || n < min || n > max) {
      throw new ValidationFailedError([{ field: metadata.data ?? 'value', reason: `must be an integer from ${min} to ${max}` }]);
    }
    return n;
  }
}
