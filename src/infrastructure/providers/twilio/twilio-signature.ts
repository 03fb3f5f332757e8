import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Twilio's webhook signature (X-Twilio-Signature): base64 HMAC-SHA1, keyed with the account's auth token, of
 * the full request URL followed by every form parameter name and value in name order. A repeated parameter
 * (a form body parses it into an array) contributes its name and each of its distinct values, in value order,
 * as Twilio's own SDK computes it.
 */
export function twilioSignature(authToken: string, url: string, params: Record<string, unknown>): string {
  const data = Object.keys(params)
    .sort()
    .reduce((acc, key) => acc + nameAndValues(key, params[key]), url);
  return createHmac('sha1', authToken).update(data, 'utf8').digest('base64');
}

function nameAndValues(name: string, value: unknown): string {
  if (!Array.isArray(value)) return name + String(value ?? '');
  return [...new Set(value.map((v) => String(v ?? '')))]
    .sort()
    .map((v) => name + v)
    .join('');
}

/** False when there is no token or no signature: an unconfigured check never passes. */
export function isValidTwilioSignature(authToken: string, url: string, params: Record<string, unknown>, signature: string | undefined): boolean {
  if (!signature || !authToken) return false;
  const expected = Buffer.from(twilioSignature(authToken, url, params));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
