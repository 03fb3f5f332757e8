import { redactText } from './redact-text';

describe('free-text redaction', () => {
  it('censors query values, URL passwords and bearer tokens, keeping the rest readable', () => {
    expect(redactText('upstream https://sqs.internal/q?X-Amz-Security-Token=FQoGZXIvYXdz&Action=Send failed')).toBe(
      'upstream https://sqs.internal/q?X-Amz-Security-Token=[redacted]&Action=[redacted] failed',
    );
    expect(redactText('cannot connect to smtp://herald:hunter2hunter2@mail.example.com:587')).toBe('cannot connect to smtp://herald:[redacted]@mail.example.com:587');
    expect(redactText('sent Authorization: Bearer hk_live_abcdef.123')).toBe('sent Authorization: Bearer [redacted]');
    expect(redactText('notification 0193a1b2 failed: 421 try later')).toBe('notification 0193a1b2 failed: 421 try later');
  });

  it('censors every occurrence of a configured secret value, but not short values', () => {
    expect(redactText('twilio said AC-token-123456 is invalid; AC-token-123456', ['AC-token-123456', 'abc'])).toBe('twilio said [redacted] is invalid; [redacted]');
    expect(redactText('abc abc', ['abc'])).toBe('abc abc');
  });
});
