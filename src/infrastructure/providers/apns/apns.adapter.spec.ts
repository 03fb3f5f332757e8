import { isProviderFailure } from '../../../domain/notification/send-result';
import { classifyApns } from './apns.adapter';

describe('APNs answer classification', () => {
  it('TooManyRequests is about one device token: transient, not a provider failure', () => {
    const result = classifyApns(429, 'TooManyRequests', undefined);
    expect(result).toMatchObject({ outcome: 'transient', code: 'apns_TooManyRequests', scope: 'recipient' });
    expect(isProviderFailure(result)).toBe(false);
  });

  it.each([
    [503, 'ServiceUnavailable'],
    [500, 'InternalServerError'],
    [403, 'InvalidProviderToken'],
    [502, undefined],
  ])('%s %s is a provider failure', (status, reason) => {
    expect(isProviderFailure(classifyApns(status, reason, undefined))).toBe(true);
  });
});
