import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** Vonage's signature methods, as its dashboard and SDKs name them; `md5hash` is Vonage's default. */
export const VONAGE_SIGNATURE_METHODS = ['md5hash', 'md5', 'sha1', 'sha256', 'sha512'] as const;
export type VonageSignatureMethod = (typeof VONAGE_SIGNATURE_METHODS)[number];

/**
 * Vonage's signed-webhook signature (developer.vonage.com, "Signing Messages"): every parameter but `sig`, in
 * name order, as `&name=value` with `&` and `=` inside values replaced by `_`. `md5hash` is the MD5 of that string
 * followed by the signature secret; the others are the HMAC of that string keyed with the secret. Hex, upper case.
 */
export function vonageSignature(secret: string, method: VonageSignatureMethod, params: Record<string, string>): string {
  const signed = Object.keys(params)
    .filter((name) => name !== 'sig')
    .sort()
    .map((name) => `&${name}=${params[name].replace(/[&=]/g, '_')}`)
    .join('');
  const digest = method === 'md5hash' ? createHash('md5').update(signed + secret, 'utf8') : createHmac(method, secret).update(signed, 'utf8');
  return digest.digest('hex').toUpperCase();
}

/** False without a secret or a signature: an unconfigured check never passes. Vonage's hex may be either case. */
export function isValidVonageSignature(secret: string, method: VonageSignatureMethod, params: Record<string, string>): boolean {
  const given = params.sig;
  if (!secret || !given) return false;
  const expected = Buffer.from(vonageSignature(secret, method, params));
  const actual = Buffer.from(given.toUpperCase());
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
