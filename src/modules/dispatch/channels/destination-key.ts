import { createHash } from 'node:crypto';

/**
 * How a fanned-out destination is named in attempt records: its kind and a digest of the token or URL.
 * Tokens and webhook URLs are capabilities (whoever holds one can send), so they are never stored in clear there.
 */
export function destinationKey(kind: string, secret: string): string {
  return `${kind}:${createHash('sha256').update(secret).digest('hex').slice(0, 16)}`;
}
