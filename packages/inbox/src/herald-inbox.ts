import { html, LitElement, nothing, svg, type PropertyValues, type TemplateResult } from 'lit';
import { HeraldError, HeraldInbox as HeraldInboxClient, type InboxCounts, type InboxItem, type InboxStream, type Preferences } from '@herald/sdk';
import { catalogueFor, resolveLocale, type InboxStrings } from './i18n.js';
import { relativeTime } from './relative-time.js';
import { styles } from './styles.js';
import { tokenClaims, TokenSource, type TokenProvider } from './token.js';

/** Where a failure happened, in `herald-inbox:error`'s detail. */
export type InboxErrorDuring = 'load' | 'action' | 'stream' | 'preferences';

export interface InboxItemEventDetail {
  item: InboxItem;
}
export interface InboxReadEventDetail {
  /** The item marked, or null when every item was marked read at once. */
  item: InboxItem | null;
  read: boolean;
  /** With mark all read: how many items changed. */
  updated?: number;
}
export interface InboxActionEventDetail {
  item: InboxItem;
  url: string;
}
export interface InboxErrorEventDetail {
  code: string;
  message: string;
  status: number | null;
  during: InboxErrorDuring;
}

type Channel = Preferences['optedOutChannels'][number];
const CHANNEL_ORDER: Channel[] = ['inapp', 'email', 'push', 'webpush', 'sms', 'chat'];
/** Prefetch the next page when the end of the list comes within this distance of view. */
const PREFETCH_MARGIN = '0px 0px 160px 0px';

const bellIcon = svg`<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"><path d="M18 8a6 6 0 0 0-12 0c0 7-3 9-3 9h18s-3-2-3-9"/><path d="M13.73 21a2 2 0 0 1-3.46 0"/></svg>`;
const closeIcon = svg`<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round"><path d="M18 6 6 18M6 6l12 12"/></svg>`;

/** Only http(s) links are followed: an actionUrl of another scheme (javascript:, data:) is not shown as a link. */
function safeUrl(url: string | null): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url, document.baseURI);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : null;
  } catch {
    return null;
  }
}

const newestFirst = (a: InboxItem, b: InboxItem) => b.sequence - a.sequence;

/**
 * `<herald-inbox>`: a bell with the user's unread count and a popover with their Herald inbox, live over
 * Server-Sent Events, and their notification preferences.
 *
 * @fires herald-inbox:item - An item arrived live. detail: { item }
 * @fires herald-inbox:read - An item (or every item) was marked read or unread. detail: { item, read, updated? }
 * @fires herald-inbox:action - An item's action link was clicked; cancelable (the link is then not followed). detail: { item, url }
 * @fires herald-inbox:error - A call to Herald failed. detail: { code, message, status, during }
 */
export class HeraldInbox extends LitElement {
  static override styles = styles;

  static override properties = {
    baseUrl: { attribute: 'base-url' },
    token: {},
    tokenProvider: { attribute: false },
    locale: {},
    pageSize: { attribute: 'page-size', type: Number },
    open: { type: Boolean, reflect: true },
    items: { state: true },
    counts: { state: true },
    tab: { state: true },
    loadState: { state: true },
    loadingMore: { state: true },
    nextCursor: { state: true },
    connection: { reflect: true },
    announcement: { state: true },
    notice: { state: true },
    preferences: { state: true },
    preferencesState: { state: true },
    preferencesNotice: { state: true },
    now: { state: true },
    alignStart: { state: true },
  };

  /** Herald's URL, e.g. https://herald.example.com. */
  declare baseUrl: string | null;
  /** A user token (hut1.…) from your backend. */
  declare token: string | null;
  /** Called for a token when none is set, before one expires, and when Herald refuses one. */
  declare tokenProvider: TokenProvider | null;
  /** BCP 47 tag; default: the nearest lang attribute, then the browser's language. */
  declare locale: string | null;
  /** Items per page (1 to 100, default 20). */
  declare pageSize: number;
  /** Whether the popover is open. */
  declare open: boolean;

  declare protected items: InboxItem[];
  declare protected counts: InboxCounts;
  declare protected tab: 'inbox' | 'preferences';
  declare protected loadState: 'idle' | 'loading' | 'ready' | 'error';
  declare protected loadingMore: boolean;
  declare protected nextCursor: string | null;
  /** The live stream's state, reflected as the `connection` attribute (for styles and tests); set by the element only. */
  declare connection: 'idle' | 'connecting' | 'open' | 'offline';
  declare protected announcement: string;
  declare protected notice: string;
  declare protected preferences: Preferences | null;
  declare protected preferencesState: 'idle' | 'loading' | 'ready' | 'error';
  declare protected preferencesNotice: string;
  declare protected now: Date;
  /** The popover opens towards the end of the line, unless the bell is too near the start of the window for it. */
  declare protected alignStart: boolean;

  private readonly tokens = new TokenSource((token) => {
    this.renewedToken = token;
    this.token = token;
  });
  private renewedToken: string | null = null;
  private client: HeraldInboxClient | null = null;
  private stream: InboxStream | null = null;
  /** Where the stream resumes after it was closed here (the browser went offline): the last event id it had. */
  private resumeFrom: string | null = null;
  private writes: Promise<unknown> = Promise.resolve();
  private session = 0;
  private observer: IntersectionObserver | null = null;
  private observed: Element | null = null;
  private clock: ReturnType<typeof setInterval> | undefined;
  private returnFocus = false;
  private pendingRestart = false;
  private readonly offline = () => this.pauseStream();
  private readonly online = () => this.resumeStream();
  private readonly outside = (event: Event) => {
    if (this.open && !event.composedPath().includes(this)) this.close(false);
  };

  constructor() {
    super();
    this.baseUrl = null;
    this.token = null;
    this.tokenProvider = null;
    this.locale = null;
    this.pageSize = 20;
    this.open = false;
    this.items = [];
    this.counts = { unread: 0, unseen: 0 };
    this.tab = 'inbox';
    this.loadState = 'idle';
    this.loadingMore = false;
    this.nextCursor = null;
    this.connection = 'idle';
    this.announcement = '';
    this.notice = '';
    this.preferences = null;
    this.preferencesState = 'idle';
    this.preferencesNotice = '';
    this.now = new Date();
    this.alignStart = false;
  }

  /** The strings in use, from the catalogue of the current locale. */
  get strings(): InboxStrings {
    return catalogueFor(this.resolvedLocale);
  }

  get resolvedLocale(): string {
    const lang = this.closest('[lang]')?.getAttribute('lang') ?? document.documentElement.lang;
    return resolveLocale(this.locale, lang, navigator.language);
  }

  /** The unread count shown on the badge. */
  get unreadCount(): number {
    return this.counts.unread;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener('click', this.outside, true);
    window.addEventListener('offline', this.offline);
    window.addEventListener('online', this.online);
    this.clock = setInterval(() => (this.now = new Date()), 30_000);
    if (this.hasUpdated) this.restart();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener('click', this.outside, true);
    window.removeEventListener('offline', this.offline);
    window.removeEventListener('online', this.online);
    clearInterval(this.clock);
    this.teardown();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('tokenProvider')) {
      this.tokens.provider = this.tokenProvider;
      if (!this.client) this.pendingRestart = true;
    }
    if (changed.has('token') && this.token !== this.renewedToken) {
      // Another user's token is another inbox.
      const otherUser = tokenClaims(changed.get('token') as string | null | undefined).sub !== tokenClaims(this.token).sub;
      this.tokens.set(this.token);
      if (!this.client || otherUser) this.pendingRestart = true;
    }
    if (changed.has('baseUrl') || changed.has('pageSize')) this.pendingRestart = true;
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (this.pendingRestart) {
      this.pendingRestart = false;
      this.restart();
    }
    if (changed.has('open') && this.open && changed.get('open') === false) {
      this.place();
      this.focusFirst();
    }
    if (changed.has('open') && !this.open && this.returnFocus) {
      this.returnFocus = false;
      this.bell?.focus();
    }
    this.observeSentinel();
  }

  /** Opens the popover (and marks what it shows seen). */
  show(): void {
    if (this.open) return;
    this.open = true;
    void this.markSeen();
  }

  /** Closes the popover; focus returns to the bell unless `returnFocus` is false. */
  close(returnFocus = true): void {
    if (!this.open) return;
    this.returnFocus = returnFocus;
    this.open = false;
  }

  /** Reads the inbox again from the first page. */
  refresh(): void {
    this.restart();
  }

  private get bell(): HTMLButtonElement | null {
    return this.renderRoot.querySelector<HTMLButtonElement>('.bell');
  }

  private get pageLimit(): number {
    const size = Math.trunc(Number(this.pageSize));
    return Number.isFinite(size) ? Math.min(100, Math.max(1, size)) : 20;
  }

  private teardown(): void {
    this.session++;
    this.stream?.close();
    this.stream = null;
    this.client = null;
    this.resumeFrom = null;
    this.observer?.disconnect();
    this.observer = null;
    this.observed = null;
    this.connection = 'idle';
  }

  private restart(): void {
    this.teardown();
    if (!this.isConnected || !this.baseUrl || !this.tokens.usable) return;
    const session = this.session;
    const client = new HeraldInboxClient({ baseUrl: this.baseUrl, token: () => this.tokens.get() });
    this.client = client;
    this.items = [];
    this.nextCursor = null;
    this.preferences = null;
    this.preferencesState = 'idle';
    this.loadState = 'loading';
    void (async () => {
      try {
        const [page, counts] = await Promise.all([this.call(() => client.list({ limit: this.pageLimit })), this.call(() => client.counts())]);
        if (session !== this.session) return;
        this.items = page.items.filter((i) => !i.archivedAt).sort(newestFirst);
        this.nextCursor = page.nextCursor;
        this.counts = counts;
        this.loadState = 'ready';
        if (this.open) void this.markSeen();
      } catch (err) {
        if (session !== this.session) return;
        this.loadState = 'error';
        return this.fail(err, 'load');
      }
      // From the newest item listed (or from the start, for an empty inbox): whatever is stored after the page was
      // read arrives on the stream, once.
      this.openStream(session, String(this.items[0]?.sequence ?? 0));
    })();
  }

  private openStream(session: number, after: string): void {
    const client = this.client;
    if (!client || session !== this.session) return;
    this.connection = 'connecting';
    this.stream = client.stream(
      {
        onReady: () => {
          if (session === this.session) this.connection = 'open';
        },
        onItem: (item) => this.arrived(item, session),
        onCounts: (counts) => {
          if (session === this.session) this.counts = counts;
        },
        onError: (err, willRetry) => {
          if (session !== this.session) return;
          this.connection = 'offline';
          // Herald ends a stream whose token expired: the reconnect that follows takes a new one.
          if (err.code === 'user_token_expired' && this.tokens.provider) void this.tokens.renew().catch(() => undefined);
          this.fail(err, 'stream');
          if (!willRetry) this.stream = null;
        },
      },
      { after },
    );
  }

  /** The browser went offline: the stream is closed rather than left to time out, and opened again once online. */
  private pauseStream(): void {
    if (!this.stream) return;
    this.resumeFrom = this.stream.lastEventId ?? (this.items[0] ? String(this.items[0].sequence) : null);
    this.stream.close();
    this.stream = null;
    this.connection = 'offline';
  }

  private resumeStream(): void {
    if (this.stream || !this.client || this.loadState !== 'ready') return;
    this.openStream(this.session, this.resumeFrom ?? String(this.items[0]?.sequence ?? 0));
  }

  /** Changes reach Herald one after the other, in the order the user made them (read then unread ends unread). */
  private write<T>(run: () => Promise<T>): Promise<T> {
    const next = this.writes.then(run, run);
    this.writes = next.catch(() => undefined);
    return next;
  }

  /** A call to Herald; a refused token is renewed through the provider and the call made once more. */
  private async call<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (err) {
      if (!(err instanceof HeraldError) || err.status !== 401 || !this.tokens.provider) throw err;
      await this.tokens.renew();
      return run();
    }
  }

  private arrived(item: InboxItem, session: number): void {
    if (session !== this.session || item.archivedAt) return;
    if (this.items.some((i) => i.id === item.id)) return;
    this.items = [...this.items, item].sort(newestFirst);
    this.announce(this.strings.arrived(item.title));
    this.emit<InboxItemEventDetail>('herald-inbox:item', { item });
    if (this.open) void this.markSeen(true);
  }

  private announce(text: string): void {
    // The same words twice are announced twice: the region is emptied first.
    this.announcement = '';
    void this.updateComplete.then(() => (this.announcement = text));
  }

  /** Counts from Herald, when the stream (which sends them after every change) is not there to. */
  private async refreshCounts(session: number): Promise<void> {
    if (this.connection === 'open' || !this.client) return;
    try {
      const counts = await this.call(() => this.client!.counts());
      if (session === this.session) this.counts = counts;
    } catch {
      // The next change or reconnection counts again.
    }
  }

  private async markSeen(force = false): Promise<void> {
    const client = this.client;
    if (!client || this.loadState !== 'ready' || (!force && this.counts.unseen === 0)) return;
    const session = this.session;
    this.counts = { ...this.counts, unseen: 0 };
    try {
      await this.write(() => this.call(() => client.markAllSeen()));
      if (session !== this.session) return;
      const at = new Date().toISOString();
      this.items = this.items.map((i) => (i.seenAt ? i : { ...i, seenAt: at }));
    } catch (err) {
      if (session === this.session) this.fail(err, 'action');
    }
  }

  private async setRead(item: InboxItem, read: boolean): Promise<void> {
    const client = this.client;
    if (!client || Boolean(item.readAt) === read) return;
    const session = this.session;
    const readAt = read ? new Date().toISOString() : null;
    this.replace(item.id, { readAt });
    this.counts = { ...this.counts, unread: Math.max(0, this.counts.unread + (read ? -1 : 1)) };
    try {
      await this.write(() => this.call(() => (read ? client.markRead(item.id) : client.markUnread(item.id))));
      if (session !== this.session) return;
      this.notice = '';
      this.emit<InboxReadEventDetail>('herald-inbox:read', { item: { ...item, readAt }, read });
    } catch (err) {
      if (session !== this.session) return;
      this.replace(item.id, { readAt: item.readAt });
      this.fail(err, 'action');
    }
    await this.refreshCounts(session);
  }

  private async markAllRead(): Promise<void> {
    const client = this.client;
    if (!client) return;
    const session = this.session;
    const before = this.items;
    const at = new Date().toISOString();
    this.items = this.items.map((i) => (i.readAt ? i : { ...i, readAt: at }));
    const unread = this.counts.unread;
    this.counts = { ...this.counts, unread: 0 };
    try {
      const updated = await this.write(() => this.call(() => client.markAllRead()));
      if (session !== this.session) return;
      this.notice = '';
      this.emit<InboxReadEventDetail>('herald-inbox:read', { item: null, read: true, updated });
    } catch (err) {
      if (session !== this.session) return;
      this.items = before;
      this.counts = { ...this.counts, unread };
      this.fail(err, 'action');
    }
    await this.refreshCounts(session);
  }

  private async archive(item: InboxItem, index: number): Promise<void> {
    const client = this.client;
    if (!client) return;
    const session = this.session;
    const before = this.items;
    this.items = this.items.filter((i) => i.id !== item.id);
    if (!item.readAt) this.counts = { ...this.counts, unread: Math.max(0, this.counts.unread - 1) };
    // Focus stays in the list: on the next item, or the one before, or the popover's first control.
    await this.updateComplete;
    const rows = this.renderRoot.querySelectorAll<HTMLElement>('.item');
    (rows[Math.min(index, rows.length - 1)]?.querySelector<HTMLElement>('button') ?? this.focusables()[0])?.focus();
    try {
      await this.write(() => this.call(() => client.archive(item.id)));
      if (session === this.session) this.notice = '';
    } catch (err) {
      if (session !== this.session) return;
      this.items = before;
      this.fail(err, 'action');
    }
    await this.refreshCounts(session);
  }

  private async loadMore(): Promise<void> {
    const client = this.client;
    const cursor = this.nextCursor;
    if (!client || this.loadingMore || !cursor || this.loadState !== 'ready') return;
    const session = this.session;
    this.loadingMore = true;
    let loaded = false;
    try {
      const page = await this.call(() => client.list({ limit: this.pageLimit, cursor }));
      if (session !== this.session) return;
      const known = new Set(this.items.map((i) => i.id));
      this.items = [...this.items, ...page.items.filter((i) => !known.has(i.id) && !i.archivedAt)].sort(newestFirst);
      this.nextCursor = page.nextCursor;
      loaded = true;
    } catch (err) {
      if (session === this.session) this.fail(err, 'load');
    } finally {
      if (session === this.session) this.loadingMore = false;
    }
    // An observer reports changes only: observed afresh, it says whether the end of the list is still in view (a page
    // that did not fill the popover), and the next page follows. After a failure, the next scroll tries again.
    await this.updateComplete;
    if (loaded && session === this.session) {
      this.observed = null;
      this.observeSentinel();
    }
  }

  private async loadPreferences(): Promise<void> {
    const client = this.client;
    if (!client || this.preferencesState === 'loading') return;
    const session = this.session;
    this.preferencesState = 'loading';
    try {
      const preferences = await this.call(() => client.preferences.get());
      if (session !== this.session) return;
      this.preferences = preferences;
      this.preferencesState = 'ready';
    } catch (err) {
      if (session !== this.session) return;
      this.preferencesState = 'error';
      this.fail(err, 'preferences');
    }
  }

  private async savePreferences(change: { category: string; channel: string; on: boolean } | { optOut: Channel; on: boolean }): Promise<void> {
    const client = this.client;
    if (!client || !this.preferences) return;
    const session = this.session;
    this.preferencesNotice = '';
    try {
      // Built when its turn comes, on what Herald answered the change before: quick switches do not undo each other.
      const saved = await this.write(() => {
        const current = this.preferences!;
        const categories = structuredClone(current.categories);
        let optedOutChannels = [...current.optedOutChannels];
        if ('category' in change) categories[change.category] = { ...categories[change.category], [change.channel]: change.on };
        else optedOutChannels = change.on ? optedOutChannels.filter((c) => c !== change.optOut) : [...new Set([...optedOutChannels, change.optOut])];
        return this.call(() => client.preferences.update({ categories, optedOutChannels }));
      });
      if (session !== this.session) return;
      this.preferences = saved;
      this.preferencesNotice = this.strings.saved;
    } catch (err) {
      if (session !== this.session) return;
      // The switches show what is stored again.
      this.preferences = this.preferences ? { ...this.preferences } : null;
      this.preferencesNotice = this.strings.saveFailed;
      this.fail(err, 'preferences');
    }
  }

  private fail(err: unknown, during: InboxErrorDuring): void {
    const error = err instanceof HeraldError ? err : null;
    if (during === 'action') this.notice = this.strings.actionFailed;
    this.emit<InboxErrorEventDetail>('herald-inbox:error', {
      code: error?.code ?? 'token_provider_failed',
      message: (err as Error)?.message ?? String(err),
      status: error ? error.status || null : null,
      during,
    });
  }

  private emit<T>(type: string, detail: T, cancelable = false): boolean {
    return this.dispatchEvent(new CustomEvent<T>(type, { detail, bubbles: true, composed: true, cancelable }));
  }

  private replace(id: string, change: Partial<InboxItem>): void {
    this.items = this.items.map((i) => (i.id === id ? { ...i, ...change } : i));
  }

  private observeSentinel(): void {
    const sentinel = this.renderRoot.querySelector('.sentinel');
    if (sentinel === this.observed) return;
    this.observer?.disconnect();
    this.observed = sentinel;
    if (!sentinel) return;
    this.observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting)) void this.loadMore();
      },
      { root: this.renderRoot.querySelector('.list'), rootMargin: PREFETCH_MARGIN },
    );
    this.observer.observe(sentinel);
  }

  private place(): void {
    const popover = this.renderRoot.querySelector<HTMLElement>('.popover');
    if (!popover || getComputedStyle(popover).position === 'fixed') return;
    const bell = this.getBoundingClientRect();
    const rtl = getComputedStyle(this).direction === 'rtl';
    const room = rtl ? window.innerWidth - bell.left : bell.right;
    this.alignStart = room < popover.offsetWidth + 8;
  }

  private focusables(): HTMLElement[] {
    const popover = this.renderRoot.querySelector('.popover');
    if (!popover) return [];
    return [...popover.querySelectorAll<HTMLElement>('button, a[href], input, select, textarea, [tabindex]')].filter(
      (el) => !(el as HTMLButtonElement).disabled && el.tabIndex >= 0 && el.getClientRects().length > 0,
    );
  }

  private focusFirst(): void {
    (this.renderRoot.querySelector<HTMLElement>('.tab[aria-selected="true"]') ?? this.focusables()[0])?.focus();
  }

  private onPopoverKeydown(event: KeyboardEvent): void {
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      this.close();
      return;
    }
    if (event.key !== 'Tab') return;
    // Focus stays inside the popover while it is open.
    const focusables = this.focusables();
    if (focusables.length === 0) return event.preventDefault();
    const active = (this.renderRoot as ShadowRoot).activeElement;
    const first = focusables[0];
    const last = focusables[focusables.length - 1];
    const inside = active !== null && focusables.includes(active as HTMLElement);
    if (event.shiftKey && (active === first || !inside)) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && (active === last || !inside)) {
      event.preventDefault();
      first.focus();
    }
  }

  private onTabKeydown(event: KeyboardEvent): void {
    if (event.key !== 'ArrowRight' && event.key !== 'ArrowLeft' && event.key !== 'Home' && event.key !== 'End') return;
    event.preventDefault();
    this.selectTab(this.tab === 'inbox' ? 'preferences' : 'inbox');
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('.tab[aria-selected="true"]')?.focus());
  }

  private selectTab(tab: 'inbox' | 'preferences'): void {
    this.tab = tab;
    if (tab === 'preferences' && this.preferencesState !== 'ready') void this.loadPreferences();
  }

  private onAction(event: MouseEvent, item: InboxItem, url: string): void {
    const follow = this.emit<InboxActionEventDetail>('herald-inbox:action', { item, url }, true);
    if (!follow) event.preventDefault();
    if (!item.readAt) void this.setRead(item, true);
  }

  protected override render(): TemplateResult {
    const s = this.strings;
    const unread = this.counts.unread;
    return html`
      <button
        class="bell"
        part="bell"
        type="button"
        aria-haspopup="dialog"
        aria-expanded=${this.open ? 'true' : 'false'}
        aria-controls="popover"
        aria-label=${s.bell(unread)}
        @click=${() => (this.open ? this.close() : this.show())}
      >
        ${bellIcon}${unread > 0 ? html`<span class="badge" part="badge" aria-hidden="true">${s.badge(unread)}</span>` : nothing}
      </button>
      <div class="sr-only" part="live" aria-live="polite" aria-atomic="true">${this.announcement}</div>
      ${this.open ? this.renderPopover(s) : nothing}
    `;
  }

  private renderPopover(s: InboxStrings): TemplateResult {
    return html`
      <div id="popover" class="popover ${this.alignStart ? 'align-start' : ''}" part="popover" role="dialog" aria-modal="true" aria-labelledby="heading" @keydown=${this.onPopoverKeydown}>
        <div class="header" part="header">
          <h2 id="heading">${s.title}</h2>
          <button class="icon-button" part="close" type="button" aria-label=${s.close} @click=${() => this.close()}>${closeIcon}</button>
        </div>
        <div class="tabs" part="tabs" role="tablist" @keydown=${this.onTabKeydown}>
          ${(['inbox', 'preferences'] as const).map(
            (tab) => html`<button
              class="tab"
              part="tab"
              id="tab-${tab}"
              type="button"
              role="tab"
              aria-selected=${this.tab === tab ? 'true' : 'false'}
              aria-controls="panel-${tab}"
              tabindex=${this.tab === tab ? 0 : -1}
              @click=${() => this.selectTab(tab)}
            >
              ${tab === 'inbox' ? s.tabInbox : s.tabPreferences}
            </button>`,
          )}
        </div>
        <div id="panel-inbox" role="tabpanel" aria-labelledby="tab-inbox" ?hidden=${this.tab !== 'inbox'}>${this.renderInbox(s)}</div>
        <div id="panel-preferences" role="tabpanel" aria-labelledby="tab-preferences" ?hidden=${this.tab !== 'preferences'}>
          ${this.tab === 'preferences' ? this.renderPreferences(s) : nothing}
        </div>
      </div>
    `;
  }

  private renderInbox(s: InboxStrings): TemplateResult {
    const offline = this.connection === 'offline';
    return html`
      <div class="toolbar" part="toolbar">
        <span class="status" role="status">${offline ? s.reconnecting : this.notice}</span>
        <button class="text-button" part="button mark-all" type="button" ?disabled=${this.counts.unread === 0 && !this.items.some((i) => !i.readAt)} @click=${() => void this.markAllRead()}>
          ${s.markAllRead}
        </button>
      </div>
      ${this.loadState === 'loading' || this.loadState === 'idle'
        ? html`<p class="notice" part="notice">${s.loading}</p>`
        : this.loadState === 'error' && this.items.length === 0
          ? html`<div class="notice" part="notice">
              <p>${s.loadFailed}</p>
              <button class="text-button" part="button" type="button" @click=${() => this.restart()}>${s.retry}</button>
            </div>`
          : this.items.length === 0
            ? html`<p class="empty" part="empty">${s.empty}</p>`
            : html`<ul class="list" part="list" aria-labelledby="heading">
                ${this.items.map((item, index) => this.renderItem(item, index, s))}
                ${this.nextCursor ? html`<li class="sentinel" part="sentinel">${this.loadingMore ? s.loadingMore : ''}</li>` : nothing}
              </ul>`}
    `;
  }

  private renderItem(item: InboxItem, index: number, s: InboxStrings): TemplateResult {
    const unread = !item.readAt;
    const url = safeUrl(item.actionUrl);
    const titleId = `title-${item.id}`;
    const created = new Date(item.createdAt);
    return html`<li class="item ${unread ? 'unread' : ''}" part="item${unread ? ' item-unread' : ''}" data-id=${item.id}>
      <span class="dot" aria-hidden="true"></span>
      <div class="content">
        <p class="item-title" part="item-title" id=${titleId}>${unread ? html`<span class="sr-only">${s.unread}: </span>` : nothing}${item.title}</p>
        ${item.body ? html`<p class="item-body" part="item-body">${item.body}</p>` : nothing}
        <div class="meta">
          <time part="time" datetime=${item.createdAt} title=${created.toLocaleString(this.resolvedLocale)}>${relativeTime(created, this.now, this.resolvedLocale)}</time>
          ${url ? html`<a class="action" part="action" href=${url} aria-describedby=${titleId} @click=${(e: MouseEvent) => this.onAction(e, item, url)}>${s.open}</a>` : nothing}
          <button class="text-button" part="button toggle-read" type="button" aria-describedby=${titleId} @click=${() => void this.setRead(item, unread)}>
            ${unread ? s.markRead : s.markUnread}
          </button>
          <button class="text-button" part="button archive" type="button" aria-describedby=${titleId} @click=${() => void this.archive(item, index)}>${s.archive}</button>
        </div>
      </div>
    </li>`;
  }

  private renderPreferences(s: InboxStrings): TemplateResult {
    const prefs = this.preferences;
    if (!prefs)
      return this.preferencesState === 'error'
        ? html`<div class="notice" part="notice">
            <p>${s.saveFailed === this.preferencesNotice ? s.saveFailed : s.loadFailed}</p>
            <button class="text-button" part="button" type="button" @click=${() => void this.loadPreferences()}>${s.retry}</button>
          </div>`
        : html`<p class="notice" part="notice">${s.loading}</p>`;
    const channels = [...new Set(prefs.effective.flatMap((c) => Object.keys(c.channels) as Channel[]))].sort(
      (a, b) => (CHANNEL_ORDER.indexOf(a) + 1 || 99) - (CHANNEL_ORDER.indexOf(b) + 1 || 99),
    );
    const optedOut = new Set(prefs.optedOutChannels);
    return html`<div class="preferences" part="preferences">
      <p>${s.preferencesIntro}</p>
      ${prefs.effective.length === 0
        ? html`<p>${s.preferencesEmpty}</p>`
        : html`<table part="preferences-table">
            <thead>
              <tr>
                <th scope="col">${s.category}</th>
                ${channels.map((c) => html`<th scope="col">${s.channel(c)}</th>`)}
              </tr>
            </thead>
            <tbody>
              ${prefs.effective.map((category) => {
                const label = category.description || category.name;
                return html`<tr>
                  <th scope="row">${label}${category.critical ? html`<span class="category-note">${s.critical}</span>` : nothing}</th>
                  ${channels.map((channel) =>
                    channel in category.channels
                      ? html`<td>
                          <input
                            type="checkbox"
                            part="switch"
                            aria-label=${s.toggle(label, s.channel(channel))}
                            .checked=${category.channels[channel]}
                            ?disabled=${category.critical || optedOut.has(channel)}
                            @change=${(e: Event) => void this.savePreferences({ category: category.name, channel, on: (e.target as HTMLInputElement).checked })}
                          />
                        </td>`
                      : html`<td></td>`,
                  )}
                </tr>`;
              })}
            </tbody>
          </table>`}
      <h3>${s.channelsHeading}</h3>
      <p>${s.channelsIntro}</p>
      <div class="switches">
        ${channels.map(
          (channel) => html`<label>
            <input
              type="checkbox"
              part="switch"
              .checked=${!optedOut.has(channel)}
              @change=${(e: Event) => void this.savePreferences({ optOut: channel, on: (e.target as HTMLInputElement).checked })}
            />
            ${s.channel(channel)}
          </label>`,
        )}
      </div>
      <p role="status" part="preferences-status">${this.preferencesNotice}</p>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'herald-inbox': HeraldInbox;
  }
  interface HTMLElementEventMap {
    'herald-inbox:item': CustomEvent<InboxItemEventDetail>;
    'herald-inbox:read': CustomEvent<InboxReadEventDetail>;
    'herald-inbox:action': CustomEvent<InboxActionEventDetail>;
    'herald-inbox:error': CustomEvent<InboxErrorEventDetail>;
  }
}
