import { reconnectDelay } from './backoff.js';
import { HeraldInboxError, type InboxClient } from './client.js';
import { SseParser, type ServerSentEvent } from './sse.js';
import type { InboxCounts, InboxItem } from './types.js';

export type StreamState = 'connecting' | 'open' | 'offline';

export interface StreamHandlers {
  /** The stream is live: whatever is stored from now on arrives as `onItem`. */
  onReady(): void;
  onItem(item: InboxItem): void;
  onCounts(counts: InboxCounts): void;
  onState(state: StreamState): void;
  onError(error: HeraldInboxError): void;
}

/** No byte for this long (three missed heartbeats at Herald's default of 15 s) and the connection is taken as dead. */
const IDLE_TIMEOUT_MS = 45_000;

/**
 * GET /v1/inbox/stream read with fetch (an EventSource cannot send the Authorization header). A dropped connection is
 * opened again after a growing, jittered delay, at once when the browser comes back online, and with `Last-Event-ID`
 * set to the last item seen so that Herald can resume from there.
 */
export class InboxStream {
  private lastEventId: string | null = null;
  private running = false;
  private controller: AbortController | null = null;
  private wake: (() => void) | null = null;
  private readonly online = () => this.wake?.();
  private readonly offline = () => this.controller?.abort();

  constructor(
    private readonly client: InboxClient,
    private readonly handlers: StreamHandlers,
    private readonly idleTimeoutMs = IDLE_TIMEOUT_MS,
  ) {}

  /** The newest item already shown, for a first connection: Herald resumes after it. */
  resumeAfter(id: string | null): void {
    if (id && (!this.lastEventId || id > this.lastEventId)) this.lastEventId = id;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    window.addEventListener('online', this.online);
    window.addEventListener('offline', this.offline);
    void this.loop();
  }

  stop(): void {
    this.running = false;
    window.removeEventListener('online', this.online);
    window.removeEventListener('offline', this.offline);
    this.controller?.abort();
    this.wake?.();
  }

  private async loop(): Promise<void> {
    let attempt = 0;
    while (this.running) {
      this.handlers.onState(attempt === 0 ? 'connecting' : 'offline');
      const opened = await this.connect();
      if (!this.running) return;
      attempt = opened ? 1 : attempt + 1;
      this.handlers.onState('offline');
      await this.pause(navigator.onLine === false ? 60_000 : reconnectDelay(attempt - 1));
    }
  }

  /** One connection, until it ends. True when it got as far as `ready`. */
  private async connect(): Promise<boolean> {
    const controller = new AbortController();
    this.controller = controller;
    let ready = false;
    let idle: ReturnType<typeof setTimeout> | undefined;
    const alive = () => {
      clearTimeout(idle);
      idle = setTimeout(() => controller.abort(), this.idleTimeoutMs);
    };
    try {
      alive();
      const response = await this.client.request('GET', '/v1/inbox/stream', {
        headers: { Accept: 'text/event-stream', ...(this.lastEventId ? { 'Last-Event-ID': this.lastEventId } : {}) },
        signal: controller.signal,
      });
      if (!response.body) throw new HeraldInboxError('stream_unsupported', 'This browser cannot read a streamed response.');
      const parser = new SseParser((event) => {
        if (event.event === 'ready') {
          ready = true;
          this.handlers.onState('open');
          this.handlers.onReady();
        } else this.dispatch(event);
      });
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        alive();
        parser.feed(value);
      }
    } catch (err) {
      if (this.running && !controller.signal.aborted) this.handlers.onError(err instanceof HeraldInboxError ? err : new HeraldInboxError('stream_failed', (err as Error)?.message ?? String(err)));
    } finally {
      clearTimeout(idle);
      controller.abort();
      if (this.controller === controller) this.controller = null;
    }
    return ready;
  }

  private dispatch(event: ServerSentEvent): void {
    try {
      if (event.event === 'inbox.item') {
        const item = JSON.parse(event.data) as InboxItem;
        this.resumeAfter(event.id ?? item.id);
        this.handlers.onItem(item);
      } else if (event.event === 'inbox.counts') {
        this.handlers.onCounts(JSON.parse(event.data) as InboxCounts);
      }
    } catch {
      this.handlers.onError(new HeraldInboxError('stream_bad_event', `An ${event.event} event could not be read.`));
    }
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        this.wake = null;
        done();
      };
    });
  }
}
