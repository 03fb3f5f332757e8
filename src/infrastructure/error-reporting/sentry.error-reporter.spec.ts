import type { ErrorEvent } from '@sentry/node';
import { scrubEvent } from './sentry.error-reporter';

describe('what an error event may carry to Sentry', () => {
  it('applies the log redaction to the message, exceptions, extra, and the request', () => {
    const event: ErrorEvent = {
      type: undefined,
      message: 'twilio answered 401 for https://api.twilio.test/x?AuthToken=tw-s3cr3t-0001',
      exception: { values: [{ type: 'Error', value: 'connect smtp://herald:pw-s3cr3t-0002@mail:587 failed; token tw-config-secret-0003' }] },
      extra: { context: 'Worker', token: 'raw-token', notificationIds: ['n-1'], err: 'Error: Bearer hk_live_abc\n    at x', nested: { password: 'p', note: 'see ?sig=abc' } },
      request: {
        url: 'https://herald.example.com/v1/suppressions/email/ada@example.com?token=t',
        query_string: 'token=t',
        headers: { authorization: 'Bearer hk_live_x', 'user-agent': 'curl', cookie: 'sid=1' },
        cookies: { sid: '1' },
        data: '{"secret":1}',
      },
      breadcrumbs: [{ message: 'x' }],
    };
    const scrubbed = scrubEvent(event, ['tw-config-secret-0003']);
    expect(scrubbed.message).toBe('twilio answered 401 for https://api.twilio.test/x?AuthToken=[redacted]');
    expect(scrubbed.exception!.values![0].value).toBe('connect smtp://herald:[redacted]@mail:587 failed; token [redacted]');
    expect(scrubbed.extra).toEqual({ context: 'Worker', token: '[redacted]', notificationIds: ['n-1'], err: 'Error: Bearer [redacted]\n    at x', nested: { password: '[redacted]', note: 'see ?sig=[redacted]' } });
    expect(scrubbed.request).toEqual({ url: 'https://herald.example.com/v1/suppressions/email/[address]', headers: { authorization: '[redacted]', 'user-agent': 'curl', cookie: '[redacted]' } });
    expect(scrubbed.breadcrumbs).toBeUndefined();
    expect(JSON.stringify(scrubbed)).not.toMatch(/s3cr3t|hk_live|raw-token|tw-config/);
  });
});
