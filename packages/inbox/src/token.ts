/**
 * Returns a fresh user token from your own backend (which mints it with `createInboxToken` or POST /v1/inbox/tokens),
 * alone or with its expiry.
 */
export type TokenProvider = () => Promise<string | { token: string; expiresAt?: string | number | Date }>;

/**
 * What a user token (`hut1.<payload>.<signature>`) says about itself, read without checking the signature: only
 * Herald can check it, and the page only needs to know when to ask for a new one and whose inbox it opens.
 */
export function tokenClaims(token: string | null | undefined): { sub: string | null; expiresAt: Date | null } {
  const parts = token?.split('.') ?? [];
  if (parts.length !== 3 || parts[0] !== 'hut1') return { sub: null, expiresAt: null };
  try {
    const json = atob(parts[1].replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(parts[1].length / 4) * 4, '='));
    const { sub, exp } = JSON.parse(json) as { sub?: unknown; exp?: unknown };
    return { sub: typeof sub === 'string' ? sub : null, expiresAt: typeof exp === 'number' && Number.isFinite(exp) ? new Date(exp * 1000) : null };
  } catch {
    return { sub: null, expiresAt: null };
  }
}

/** A token is renewed this long before it expires, so that no request leaves with one about to lapse. */
const RENEW_BEFORE_MS = 30_000;

/** The user token: the one given, renewed through the provider when there is none, when it nears expiry, or on demand. */
export class TokenSource {
  provider: TokenProvider | null = null;
  private token: string | null = null;
  private expiresAt: Date | null = null;
  private renewing: Promise<string> | null = null;

  constructor(private readonly onRenewed: (token: string) => void = () => undefined) {}

  set(token: string | null, expiresAt: Date | null = null): void {
    this.token = token || null;
    this.expiresAt = token ? (expiresAt ?? tokenClaims(token).expiresAt) : null;
  }

  get usable(): boolean {
    return Boolean(this.token || this.provider);
  }

  /** The token to send now; waits for a renewal under way. */
  async get(): Promise<string> {
    if (this.renewing) return this.renewing;
    const expiring = this.expiresAt !== null && this.expiresAt.getTime() - Date.now() < RENEW_BEFORE_MS;
    if (this.token && !(expiring && this.provider)) return this.token;
    if (this.provider) return this.renew();
    throw new Error('No user token: set the token attribute or a tokenProvider.');
  }

  /** Asks the provider for a new token, once however many callers need it. Without a provider, the current token. */
  renew(): Promise<string> {
    const provider = this.provider;
    if (!provider) return this.get();
    this.renewing ??= (async () => {
      try {
        const answer = await provider();
        const token = typeof answer === 'string' ? answer : answer?.token;
        if (!token) throw new Error('The token provider returned no token.');
        const expiresAt = typeof answer === 'string' || answer.expiresAt === undefined ? null : new Date(answer.expiresAt);
        this.set(token, expiresAt && !Number.isNaN(expiresAt.getTime()) ? expiresAt : null);
        this.onRenewed(token);
        return token;
      } finally {
        this.renewing = null;
      }
    })();
    return this.renewing;
  }
}
