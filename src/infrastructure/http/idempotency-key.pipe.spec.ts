import { ValidationFailedError } from '../../domain/errors/domain-errors';
import { IdempotencyKeyPipe } from './idempotency-key.pipe';

describe('IdempotencyKeyPipe', () => {
  const pipe = new IdempotencyKeyPipe();

  it('passes an absent header as null and a printable key as it came', () => {
    expect(pipe.transform(undefined)).toBeNull();
    expect(pipe.transform('order-o-1:shipped')).toBe('order-o-1:shipped');
    expect(pipe.transform('k'.repeat(200))).toBe('k'.repeat(200));
  });

  it.each(['', 'has space', 'k'.repeat(201), 'caf\u00e9'])('refuses %j, naming the header', (value) => {
    expect(() => pipe.transform(value)).toThrow(ValidationFailedError);
    try {
      pipe.transform(value);
    } catch (err) {
      expect((err as ValidationFailedError).issues).toEqual([{ field: 'Idempotency-Key', reason: 'must be 1-200 printable ASCII characters without spaces' }]);
    }
  });
});
