import { isProviderFailure } from '../../../domain/notification/send-result';
import { constants } from 'node:http2';
import { classifyApns, streamEndedWithoutAnswer } from './apns.adapter';

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

describe('an APNs stream that ends without an answer', () => {
  it('is transient when the request was not all written, or the stream was refused', () => {
    expect(streamEndedWithoutAnswer(false, 0)).toMatchObject({ outcome: 'transient' });
    expect(streamEndedWithoutAnswer(true, constants.NGHTTP2_REFUSED_STREAM)).toMatchObject({ outcome: 'transient', code: 'apns_refused_stream' });
  });

  it('is unknown, not permanent, once the request was written', () => {
    expect(streamEndedWithoutAnswer(true, constants.NGHTTP2_NO_ERROR)).toMatchObject({ outcome: 'unknown', code: 'apns_connection_lost' });
    expect(streamEndedWithoutAnswer(true, undefined)).toMatchObject({ outcome: 'unknown' });
  });
});
