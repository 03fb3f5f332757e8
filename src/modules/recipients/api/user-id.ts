import { ValidationFailedError } from '../../../domain/errors/domain-errors';

const USER_ID = /^[\x21-\x7e]{1,200}$/;

/** User ids in paths: your identifiers, 1-200 printable ASCII characters. */
export function checkUserId(value: string): string {
  if (!USER_ID.test(value)) throw new ValidationFailedError([{ field: 'userId', reason: 'must be 1-200 printable ASCII characters without spaces' }]);
  return value;
}
