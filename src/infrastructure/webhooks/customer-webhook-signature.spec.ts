import { createHmac } from 'node:crypto';
import { signCustomerWebhook, verifyCustomerWebhook } from './customer-webhook-signature';

describe('outbound webhook signature', () => {
  const body = '{"events":[]}';
  const now = new Date('2026-01-01T00:00:00Z');
  const t = now.getTime() / 1000;

  it('is t=<seconds>,v1=<hex HMAC-SHA256 of "t.body">', () => {
    const mac = createHmac('sha256', 'whsec').update(`${t}.${body}`).digest('hex');
    expect(signCustomerWebhook('whsec', t, body)).toBe(`t=${t},v1=${mac}`);
  });

  it('verifies, and refuses another secret, a changed body, an old timestamp or a malformed header', () => {
    const header = signCustomerWebhook('whsec', t, body);
    expect(verifyCustomerWebhook('whsec', header, body, now)).toBe(true);
    expect(verifyCustomerWebhook('other', header, body, now)).toBe(false);
    expect(verifyCustomerWebhook('whsec', header, `${body} `, now)).toBe(false);
    expect(verifyCustomerWebhook('whsec', header, body, new Date(now.getTime() + 600_000))).toBe(false);
    expect(verifyCustomerWebhook('whsec', 'v1=abc', body, now)).toBe(false);
  });
});
