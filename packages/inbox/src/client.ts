import { tokenClaims } from './token.js';
import type { InboxCounts, InboxItem, InboxPage, InboxPreferences, TokenProvider } from './types.js';

/** A failed call to Herald: `code` is Herald's error code when it answered one, else `network_error` or `http_<status>`. */
export class HeraldInboxError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number | null = null,
  ) {
    super(message);
    this.name = 'HeraldInboxError';
  }
}

/** A token is renewed this long before it expires, so that no request leaves with one about to lapse. */
const RENEW_BEFORE_MS = 30_000;

/** The user token: the one given, renewed through the token provider when it is missing, expiring or refused. */
export class TokenSource {
  provider: TokenProvider | null = null;
  private token: string | null = null;
  private expiresAt: Date | null = null;
  private renewing: Promise<string | null> | null = null;

  constructor(private readonly onRenewed: (token: string) => void = () => undefined) {}

  set(token: string | null, expiresAt: Date | null = null): void {
    this.token = token || null;
    this.expiresAt = token ? (expiresAt ?? tokenClaims(token).expiresAt) : null;
  }

  get usable(): boolean {
    return Boolean(this.token || this.provider);
  }

  async get(): Promise<string | null> {
    const expiring = this.expiresAt !== null && this.expiresAt.getTime() - Date.now() < RENEW_BEFORE_MS;
    if (this.token && !(expiring && this.provider)) return this.token;
    return this.provider ? this.renew() : this.token;
  }

  /** Asks the provider for a new token (one call at a time, however many requests need it). */
  renew(): Promise<string | null> {
    const provider = this.provider;
    if (!provider) return Promise.resolve(null);
    this.renewing ??= (async () => {
      try {
        const answer = await provider();
        const token = typeof answer === 'string' ? answer : answer.token;
        const expiresAt = typeof answer === 'string' || answer.expiresAt === undefined ? null : new Date(answer.expiresAt);
        if (!token) throw new HeraldInboxError('token_provider_failed', 'The token provider returned no token.');
        this.set(token, expiresAt && !Number.isNaN(expiresAt.getTime()) ? expiresAt : null);
        this.onRenewed(token);
        return token;
      } catch (err) {
        if (err instanceof HeraldInboxError) throw err;
        throw new HeraldInboxError('token_provider_failed', `The token provider failed: ${(err as Error)?.message ?? String(err)}`);
      } finally {
        this.renewing = null;
      }
    })();
    return this.renewing;
  }
}

export interface RequestOptions {
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/** Herald's /v1/inbox API with a user token: plain fetch, nothing else. */
export class InboxClient {
  constructor(
    private readonly baseUrl: string,
    private readonly tokens: TokenSource,
  ) {}

  /** The response of a call that succeeded (2xx); a refused token is renewed once through the provider. */
  async request(method: string, path: string, options: RequestOptions = {}): Promise<Response> {
    let token = await this.tokens.get();
    for (let attempt = 0; ; attempt++) {
      if (!token) throw new HeraldInboxError('no_token', 'No user token: set the token attribute or a tokenProvider.');
      let response: Response;
      try {
        response = await fetch(this.url(path), {
          method,
          headers: {
            Authorization: `Bearer ${token}`,
            Accept: 'application/json',
            ...(options.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
            ...options.headers,
          },
          body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
          signal: options.signal,
          credentials: 'omit',
          cache: 'no-store',
        });
      } catch (err) {
        if ((err as Error)?.name === 'AbortError') throw err;
        throw new HeraldInboxError('network_error', `Herald could not be reached: ${(err as Error)?.message ?? String(err)}`);
      }
      if (response.ok) return response;
      if (response.status === 401 && attempt === 0 && this.tokens.provider) {
        await response.body?.cancel().catch(() => undefined);
        token = await this.tokens.renew();
        continue;
      }
      throw await errorOf(response);
    }
  }

  async json<T>(method: string, path: string, options?: RequestOptions): Promise<T> {
    return (await (await this.request(method, path, options)).json()) as T;
  }

  list(query: { limit: number; cursor?: string | null; filter?: 'all' | 'unread' | 'unseen' | 'archived'; category?: string }): Promise<InboxPage> {
    const params = new URLSearchParams({ limit: String(query.limit), filter: query.filter ?? 'all' });
    if (query.cursor) params.set('cursor', query.cursor);
    if (query.category) params.set('category', query.category);
    return this.json('GET', `/v1/inbox/items?${params}`);
  }

  counts(): Promise<InboxCounts> {
    return this.json('GET', '/v1/inbox/counts');
  }

  async mark(item: Pick<InboxItem, 'id'>, action: 'read' | 'unread' | 'seen' | 'archive' | 'unarchive'): Promise<void> {
    await this.request('POST', `/v1/inbox/items/${encodeURIComponent(item.id)}/${action}`);
  }

  async markAll(action: 'read-all' | 'seen-all' | 'archive-all'): Promise<number> {
    return (await this.json<{ updated: number }>('POST', `/v1/inbox/${action}`)).updated;
  }

  preferences(): Promise<InboxPreferences> {
    return this.json('GET', '/v1/inbox/preferences');
  }

  savePreferences(body: { categories: InboxPreferences['categories']; optedOutChannels: string[] }): Promise<InboxPreferences> {
    return this.json('PUT', '/v1/inbox/preferences', { body });
  }

  url(path: string): string {
    return `${this.baseUrl.replace(/\/+$/, '')}${path}`;
  }
}

async function errorOf(response: Response): Promise<HeraldInboxError> {
  let code = `http_${response.status}`;
  let message = `Herald answered ${response.status}`;
  try {
    const body = (await response.json()) as { error?: { code?: unknown; message?: unknown } };
    if (typeof body?.error?.code === 'string') code = body.error.code;
    if (typeof body?.error?.message === 'string') message = body.error.message;
  } catch {
    // Not Herald's JSON (a proxy's page): the status says enough.
  }
  return new HeraldInboxError(code, message, response.status);
}
