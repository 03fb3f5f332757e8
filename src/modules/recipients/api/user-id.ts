import { ValidationFailedError } from '../../../domain/errors/domain-errors';
import { PRINTABLE_ID_PATTERN } from '../../../domain/notification/patterns';


/** User ids in paths: your identifiers, 1-200 printable ASCII characters. */
export function checkUserId(value: string): string {
  if (!PRINTABLE_ID_PATTERN.test(value)) throw new ValidationFailedError([{ field: 'userId', reason: 'must be 1-200 printable ASCII characters without spaces' }]);
  return value;
}
