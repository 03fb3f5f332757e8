import { isProviderFailure } from './send-result';

describe('isProviderFailure', () => {
  it('is true only for a transient failure about the provider, which is what an unmarked one is', () => {
    expect(isProviderFailure({ outcome: 'transient', code: 'smtp_421', message: 'closing' })).toBe(true);
    expect(isProviderFailure({ outcome: 'transient', code: 'smtp_421', message: 'closing', scope: 'provider' })).toBe(true);
    expect(isProviderFailure({ outcome: 'transient', code: 'smtp_450', message: 'greylisted', scope: 'recipient' })).toBe(false);
    expect(isProviderFailure({ outcome: 'permanent', code: 'smtp_550', message: 'no such user' })).toBe(false);
    expect(isProviderFailure({ outcome: 'unknown', code: 'smtp_lost_after_data', message: 'timeout' })).toBe(false);
    expect(isProviderFailure({ outcome: 'sent' })).toBe(false);
  });
});
