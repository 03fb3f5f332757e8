import { redactPath } from './redact-path';

describe('access-log paths', () => {
  it.each([
    ['/v1/suppressions/email/ada@example.com', '/v1/suppressions/email/[address]'],
    ['/v1/suppressions/email/ada%40example.com', '/v1/suppressions/email/[address]'],
    ['/v1/suppressions/sms/+14155550100', '/v1/suppressions/sms/[phone]'],
    ['/v1/suppressions/sms/%2B14155550100', '/v1/suppressions/sms/[phone]'],
    ['/v1/recipients/grace@example.com/preferences', '/v1/recipients/[address]/preferences'],
    ['/t/c/eyJuIjoiMDE5M2ExYjIifQ.abcDEF_-', '/t/c/[token]'],
    ['/t/o/eyJuIjoiMDE5M2ExYjIifQ.abcDEF_-.gif', '/t/o/[token]'],
    ['/v1/unsubscribe?token=abc.def', '/v1/unsubscribe'],
    ['/v1/notifications/0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b', '/v1/notifications/0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b'],
    ['/v1/recipients/u-42', '/v1/recipients/u-42'],
    ['/v1/templates/order-1', '/v1/templates/order-1'],
  ])('%s is logged as %s', (path, logged) => expect(redactPath(path)).toBe(logged));
});
