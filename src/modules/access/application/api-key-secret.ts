import { createHash, randomBytes } from 'node:crypto';

/** Keys are 32 random bytes, so a fast hash is enough: there is nothing to brute-force. */
export function hashApiKey(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function generateApiKeySecret(): string {
  return `hk_${randomBytes(32).toString('base64url')}`;
}

export function displayPrefix(secret: string): string {
  return secret.slice(0, 10);
}

export function lastFour(secret: string): string {
  return secret.slice(-4);
}
