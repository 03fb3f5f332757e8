import type { SendResult } from '../notification/send-result';
import { combineDestinationResults, type DestinationSend } from './destination-fan-out';

const send = (destination: string, result: SendResult): DestinationSend => ({ destination, provider: 'fcm', result });
const sent: SendResult = { outcome: 'sent', providerMessageId: 'm' };
const dead: SendResult = { outcome: 'permanent', code: 'fcm_unregistered', message: 'gone', deadAddress: true };

describe('combineDestinationResults', () => {
  it('is sent when one token got it and another was dead', () => {
    expect(combineDestinationResults([send('a', sent), send('b', dead)])).toMatchObject({ outcome: 'sent' });
  });

  it('is transient when any destination failed transiently, keeping the longest Retry-After', () => {
    const out = combineDestinationResults([
      send('a', sent),
      send('b', { outcome: 'transient', code: 'fcm_unavailable', message: 'x', retryAfterMs: 1000 }),
      send('c', { outcome: 'transient', code: 'fcm_unavailable', message: 'x', retryAfterMs: 3000 }),
    ]);
    expect(out).toMatchObject({ outcome: 'transient', code: 'fcm_unavailable', retryAfterMs: 3000 });
  });

  it('is not attempted only when no destination\'s provider was called', () => {
    const skipped: SendResult = { outcome: 'transient', code: 'no_provider_available', message: 'apns: circuit_open', retryAfterMs: 2000, notAttempted: true };
    expect(combineDestinationResults([send('a', skipped), send('b', skipped)])).toMatchObject({ outcome: 'transient', notAttempted: true, retryAfterMs: 2000 });
    // One destination was sent to in this attempt: it counts.
    expect((combineDestinationResults([send('a', sent), send('b', skipped)]) as { notAttempted?: true }).notAttempted).toBeUndefined();
    expect(
      (combineDestinationResults([send('a', skipped), send('b', { outcome: 'transient', code: 'fcm_unavailable', message: 'x' })]) as { notAttempted?: true }).notAttempted,
    ).toBeUndefined();
  });

  it('is unknown when one outcome is unknown and none transient', () => {
    expect(combineDestinationResults([send('a', sent), send('b', { outcome: 'unknown', code: 't', message: 'x' })])).toMatchObject({ outcome: 'unknown' });
  });

  it('is permanent when every destination refused, or there is none', () => {
    expect(combineDestinationResults([send('a', dead), send('b', dead)])).toMatchObject({ outcome: 'permanent', code: 'fcm_unregistered' });
    expect(combineDestinationResults([])).toMatchObject({ outcome: 'permanent', code: 'no_destination' });
  });
});
