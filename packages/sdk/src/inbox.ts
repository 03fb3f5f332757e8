import createClient, { type Client } from 'openapi-fetch';
import { HeraldConnectionError, HeraldError } from './errors.js';
import type { paths } from './generated/herald-api.js';
import { unwrap } from './resources.js';
import { backoffDelay, DEFAULT_RETRY, fetchWithRetries, retryAfterMs } from './retry.js';
import type * as T from './types.js';

/** A user token, or a function that gives the current one (called before every request and every reconnect). */
export type InboxTokenSource = string | (() => string | Promise<string>);

export interface HeraldInboxOptions {
  /** A user token (`hut1.…`) from your server, or a function giving the current one: see docs/inbox.md. */
  token: InboxTokenSource;
  /** Where Herald serves its API, e.g. `https://herald.example.com`. */
  baseUrl: string;
  /** Default: the global fetch. */
  fetch?: (request: Request) => Promise<Response>;
  /** Retries of a GET, PUT or DELETE after its first attempt (default 2; 0 turns them off). */
  maxRetries?: number;
  /** Backoff of retries and stream reconnects: first cap and largest wait, in milliseconds (default 500 and 30,000). */
  retryDelay?: { baseMs?: number; maxMs?: number };
}

export interface InboxStreamHandlers {
  /** A new item; each arrives once, also across reconnects. */
  onItem?(item: T.InboxItem): void;
  /** Unread and unseen counts: after each (re)connection has caught up, and after every change. */
  onCounts?(counts: T.InboxCounts): void;
  /** The stream has caught up (items missed while disconnected were delivered) and is live. */
  onReady?(): void;
  /**
   * A connection failed or was refused. `willRetry` false means the stream has stopped for good (a refused token
   * that a fresh one cannot fix, a bad request); otherwise it reconnects after a wait.
   */
  onError?(error: HeraldError, willRetry: boolean): void;
}

export interface InboxStreamOptions {
  /**
   * Where to resume: the `sequence` of the newest item the page already shows (from `list`), so that nothing
   * stored after it is missed. Without it, the stream starts live.
   */
  after?: number | string;
  /** Aborting it closes the stream, as `close()` does. */
  signal?: AbortSignal;
}

export interface InboxStream {
  /** Stops the stream and its reconnects. */
  close(): void;
  /** The `id` of the last event received: where a reconnect resumes. */
  readonly lastEventId: string | null;
  /** Settles once the stream has stopped (closed, or refused for good). */
  readonly done: Promise<void>;
}

/**
 * The signed-in user's own inbox, from their browser, with a user token. Every call acts for the token's user.
 * Runs in browsers and in Node 20+; it never needs an API key, and holds no secret but the token.
 */
export class HeraldInbox {
  private readonly client: Client<paths>;
  private readonly send: (request: Request) => Promise<Response>;
  private readonly baseUrl: string;
  private readonly token: () => Promise<string>;
  /** Whether a fresh token may be asked for: the token is a function. */
  private readonly refreshable: boolean;
  private readonly backoff: { baseDelayMs: number; maxDelayMs: number };

  readonly preferences: {
    /** The user's choices, opt-outs and their effect on every category and channel. */
    get(): Promise<T.Preferences>;
    /** Replaces what the user may change: declared, non-critical categories and channel opt-outs. */
    update(body: T.PutPreferencesRequest): Promise<T.Preferences>;
  };

  readonly webPush: {
    /** The VAPID public key to pass as `applicationServerKey` to `pushManager.subscribe()`. */
    publicKey(): Promise<string>;
    /** Stores the browser's subscription (`subscription.toJSON()`) for the user. */
    subscribe(subscription: T.WebPushSubscription): Promise<void>;
    /** Forgets the subscription with this endpoint. */
    unsubscribe(endpoint: string): Promise<void>;
  };

  constructor(options: HeraldInboxOptions) {
    if (!options.token) throw new TypeError('HeraldInbox: token is required');
    if (!options.baseUrl) throw new TypeError('HeraldInbox: baseUrl is required');
    const maxRetries = options.maxRetries ?? DEFAULT_RETRY.maxRetries;
    if (!Number.isInteger(maxRetries) || maxRetries < 0) throw new TypeError('HeraldInbox: maxRetries must be a whole number, 0 or more');
    const source = options.token;
    this.token = async () => (typeof source === 'function' ? await source() : source);
    this.refreshable = typeof source === 'function';
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    // Called through a function so that the browser's fetch keeps its `this`.
    this.send = options.fetch ?? ((request: Request) => globalThis.fetch(request));
    this.backoff = { baseDelayMs: options.retryDelay?.baseMs ?? DEFAULT_RETRY.baseDelayMs, maxDelayMs: options.retryDelay?.maxMs ?? DEFAULT_RETRY.maxDelayMs };
    this.client = createClient<paths>({ baseUrl: this.baseUrl, fetch: fetchWithRetries(this.send, { maxRetries, ...this.backoff }) });
    this.client.use({
      onRequest: async ({ request }) => {
        request.headers.set('Authorization', `Bearer ${await this.token()}`);
        return request;
      },
    });
    const client = this.client;
    this.preferences = {
      get: () => unwrap(client.GET('/v1/inbox/preferences')),
      update: (body) => unwrap(client.PUT('/v1/inbox/preferences', { body })),
    };
    this.webPush = {
      publicKey: async () => (await unwrap(client.GET('/v1/inbox/webpush/key'))).publicKey,
      subscribe: async (subscription) => {
        await unwrap(client.PUT('/v1/inbox/webpush/subscriptions', { body: subscription }));
      },
      unsubscribe: async (endpoint) => {
        await unwrap(client.DELETE('/v1/inbox/webpush/subscriptions', { body: { endpoint } }));
      },
    };
  }

  /** A page, newest first: `filter` all (default), unread, unseen or archived; pass `nextCursor` back as `cursor`. */
  list(options: T.UserInboxListOptions = {}): Promise<T.UserInboxPage> {
    return unwrap(this.client.GET('/v1/inbox/items', { params: { query: options } }));
  }

  /** Unread and unseen unarchived items. */
  counts(): Promise<T.InboxCounts> {
    return unwrap(this.client.GET('/v1/inbox/counts'));
  }

  /** Marks it read, and seen. */
  async markRead(id: string): Promise<void> {
    await unwrap(this.client.POST('/v1/inbox/items/{id}/read', { params: { path: { id } } }));
  }

  async markUnread(id: string): Promise<void> {
    await unwrap(this.client.POST('/v1/inbox/items/{id}/unread', { params: { path: { id } } }));
  }

  async markSeen(id: string): Promise<void> {
    await unwrap(this.client.POST('/v1/inbox/items/{id}/seen', { params: { path: { id } } }));
  }

  async archive(id: string): Promise<void> {
    await unwrap(this.client.POST('/v1/inbox/items/{id}/archive', { params: { path: { id } } }));
  }

  async unarchive(id: string): Promise<void> {
    await unwrap(this.client.POST('/v1/inbox/items/{id}/unarchive', { params: { path: { id } } }));
  }

  /** Marks every unarchived item read; answers how many changed. */
  async markAllRead(): Promise<number> {
    return (await unwrap(this.client.POST('/v1/inbox/read-all'))).updated;
  }

  /** Marks every unarchived item seen (the inbox was opened); answers how many changed. */
  async markAllSeen(): Promise<number> {
    return (await unwrap(this.client.POST('/v1/inbox/seen-all'))).updated;
  }

  async archiveAll(): Promise<number> {
    return (await unwrap(this.client.POST('/v1/inbox/archive-all'))).updated;
  }

  /**
   * Listens to the inbox as it changes (`GET /v1/inbox/stream`, read with fetch: EventSource cannot send the
   * token). Reconnects by itself with `Last-Event-ID`, so an item stored while disconnected arrives once the
   * connection is back, and none twice; waits as told on 429, backs off on failures, takes a fresh token from the
   * token function on every reconnect (a stream ends when its token expires).
   */
  stream(handlers: InboxStreamHandlers, options: InboxStreamOptions = {}): InboxStream {
    const controller = new AbortController();
    const abort = () => controller.abort();
    if (options.signal?.aborted) controller.abort();
    options.signal?.addEventListener('abort', abort, { once: true });
    const state = { lastEventId: options.after === undefined ? null : String(options.after) };
    let lastSequence = options.after === undefined ? 0 : Number(options.after);
    const dispatch = (event: SseEvent): void => {
      if (event.id !== undefined) state.lastEventId = event.id;
      switch (event.event) {
        case 'inbox.item': {
          const item = JSON.parse(event.data) as T.InboxItem;
          // The server sends each item once per resume; this only guards a handler against a broken proxy's replay.
          if (item.sequence <= lastSequence) return;
          lastSequence = item.sequence;
          handlers.onItem?.(item);
          return;
        }
        case 'inbox.counts':
          handlers.onCounts?.(JSON.parse(event.data) as T.InboxCounts);
          return;
        case 'ready':
          handlers.onReady?.();
          return;
        default:
          return;
      }
    };
    const done = this.runStream(controller.signal, state, dispatch, handlers).finally(() => options.signal?.removeEventListener('abort', abort));
    return {
      close: abort,
      get lastEventId() {
        return state.lastEventId;
      },
      done,
    };
  }

  private async runStream(signal: AbortSignal, state: { lastEventId: string | null }, dispatch: (event: SseEvent) => void, handlers: InboxStreamHandlers): Promise<void> {
    let failures = 0;
    let expiredInARow = 0;
    while (!signal.aborted) {
      let wait: number;
      try {
        const headers: Record<string, string> = { Authorization: `Bearer ${await this.token()}`, Accept: 'text/event-stream' };
        if (state.lastEventId !== null) headers['Last-Event-ID'] = state.lastEventId;
        const response = await this.send(new Request(`${this.baseUrl}/v1/inbox/stream`, { headers, signal }));
        if (!response.ok || !response.body) {
          const error = HeraldError.fromResponse(response, await readBody(response));
          // An expired token is worth one more try when a fresh one can be had; twice in a row, the source is stale.
          const expired = error.code === 'user_token_expired';
          const retryable = response.status === 429 || response.status >= 500 || (expired && this.refreshable && expiredInARow === 0);
          expiredInARow = expired ? expiredInARow + 1 : 0;
          handlers.onError?.(error, retryable);
          if (!retryable) return;
          if (expired) wait = 0;
          else if (response.status === 429) wait = retryAfterMs(response.headers.get('Retry-After')) ?? backoffDelay(failures++, this.backoff);
          else wait = backoffDelay(failures++, this.backoff);
        } else {
          expiredInARow = 0;
          await readEvents(response.body, (event) => {
            // A connection that caught up is a success: the next failure starts the backoff afresh.
            if (event.event === 'ready') failures = 0;
            dispatch(event);
          });
          // The server ended the stream (the token expired, or it restarts): reconnect at once, then back off if it repeats.
          wait = backoffDelay(failures++, this.backoff);
        }
      } catch (err) {
        if (signal.aborted) return;
        handlers.onError?.(err instanceof HeraldError ? err : new HeraldConnectionError(err), true);
        wait = backoffDelay(failures++, this.backoff);
      }
      await sleep(wait, signal);
    }
  }
}

interface SseEvent {
  event: string;
  data: string;
  id?: string;
}

/** Reads a text/event-stream body, calling `onEvent` for each event (the WHATWG event-stream format). */
async function readEvents(body: ReadableStream<Uint8Array>, onEvent: (event: SseEvent) => void): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let event: SseEvent = { event: 'message', data: '' };
  let hasData = false;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true });
    let end: number;
    while ((end = buffer.search(/\r\n|\r|\n/)) >= 0) {
      // A CR that ends the chunk may be the first half of a CRLF.
      if (buffer[end] === '\r' && end === buffer.length - 1) break;
      const line = buffer.slice(0, end);
      buffer = buffer.slice(end + (buffer.startsWith('\r\n', end) ? 2 : 1));
      if (line === '') {
        if (hasData || event.id !== undefined) onEvent(event);
        event = { event: 'message', data: '' };
        hasData = false;
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') event.event = value;
      else if (field === 'id' && !value.includes('\0')) event.id = value;
      else if (field === 'data') {
        event.data = hasData ? `${event.data}\n${value}` : value;
        hasData = true;
      }
    }
  }
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text().catch(() => '');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
