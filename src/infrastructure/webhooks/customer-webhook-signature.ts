import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Herald's outbound webhook signature, header X-Herald-Signature: "t=<unix seconds>,v1=<hex HMAC-SHA256
 * of `${t}.${body}` keyed with CUSTOMER_WEBHOOK_SECRET>". Receivers recompute it over the raw body and
 * reject old timestamps to stop replays.
 */
export function signCustomerWebhook(secret: string, timestamp: number, body: string): string {
  const mac = createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex');
  return `t=${timestamp},v1=${mac}`;
}

/** The receiving side, for customers' reference and for tests. */
export function verifyCustomerWebhook(secret: string, header: string | undefined, body: string, now: Date, toleranceSeconds = 300): boolean {
  const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header ?? '');
  if (!m) return false;
  const t = Number(m[1]);
  if (Math.abs(now.getTime() / 1000 - t) > toleranceSeconds) return false;
  const expected = Buffer.from(signCustomerWebhook(secret, t, body));
  const given = Buffer.from(header!);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
