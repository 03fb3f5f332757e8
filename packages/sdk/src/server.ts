/**
 * `@herald/sdk/server`: for your server only, never a browser bundle (it takes INBOX_TOKEN_SECRET). Uses the Web
 * Crypto API (Node 20+, Deno, Bun, edge runtimes), so nothing Node-specific is imported.
 */

/** The longest lifetime Herald accepts, and the default one, in seconds. */
export const INBOX_TOKEN_MAX_LIFETIME_SECONDS = 86_400;
export const INBOX_TOKEN_DEFAULT_LIFETIME_SECONDS = 3_600;

export interface CreateInboxTokenOptions {
  /** INBOX_TOKEN_SECRET, as Herald has it (at least 32 bytes). */
  secret: string;
  /** The signed-in user whose inbox the token opens. */
  userId: string;
  /** 1 to 86400; default 3600. */
  expiresInSeconds?: number;
  /** For tests: the time the lifetime counts from. */
  now?: Date;
}

/**
 * Mints a user token (`hut1.…`) as `POST /v1/inbox/tokens` does, without a request: for the page of the user
 * signed in to your application, to call `/v1/inbox/*` with (`HeraldInbox`). See docs/inbox.md for the format.
 */
export async function createInboxToken(options: CreateInboxTokenOptions): Promise<{ token: string; expiresAt: Date }> {
  const lifetime = options.expiresInSeconds ?? INBOX_TOKEN_DEFAULT_LIFETIME_SECONDS;
  if (!Number.isInteger(lifetime) || lifetime < 1 || lifetime > INBOX_TOKEN_MAX_LIFETIME_SECONDS) {
    throw new RangeError(`createInboxToken: expiresInSeconds must be a whole number from 1 to ${INBOX_TOKEN_MAX_LIFETIME_SECONDS}`);
  }
  if (!/^[\x21-\x7e]{1,200}$/.test(options.userId)) throw new TypeError('createInboxToken: userId must be 1-200 printable ASCII characters without spaces');
  const encoder = new TextEncoder();
  if (encoder.encode(options.secret).length < 32) throw new TypeError('createInboxToken: the secret must be at least 32 bytes');
  const exp = Math.floor((options.now ?? new Date()).getTime() / 1000) + lifetime;
  const payload = base64url(encoder.encode(JSON.stringify({ sub: options.userId, exp, scope: 'inbox' })));
  const key = await crypto.subtle.importKey('raw', encoder.encode(options.secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const signature = new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(`hut1.${payload}`)));
  return { token: `hut1.${payload}.${base64url(signature)}`, expiresAt: new Date(exp * 1000) };
}

function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
