import { useCallback, useEffect, useState } from 'preact/hooks';
import type { NotificationList, NotificationListOptions } from '../../../packages/sdk/src/index';
import { messageOf, type Session } from '../session';
import { en } from '../strings';
import { CHANNELS, ErrorNote, Field, NotificationTable, Options } from './common';

export const LISTABLE_STATUSES = ['queued', 'scheduled', 'sending', 'failed', 'unknown'] as const;
const FILTER_FIELDS = ['userId', 'email', 'phone', 'category', 'fanoutId', 'metadata'] as const;
const REFRESH_MS = 5000;

const PAGE_SIZES = ['10', '20', '50', '100', '500'] as const;

type Filters = Record<'status' | 'channel' | 'createdFrom' | 'createdTo' | 'limit' | (typeof FILTER_FIELDS)[number], string>;
const NO_FILTERS: Filters = { status: 'queued', channel: '', userId: '', email: '', phone: '', category: '', fanoutId: '', metadata: '', createdFrom: '', createdTo: '', limit: '50' };

/** The filters a link gave (#/feed?fanoutId=…&status=), over the defaults; names the feed does not know are left out. */
function startingFilters(initial: Record<string, string> | undefined): Filters {
  const known = Object.entries(initial ?? {}).filter(([name]) => name in NO_FILTERS);
  return { ...NO_FILTERS, ...Object.fromEntries(known) };
}

/** The query of GET /v1/notifications: only the fields given; dates as ISO 8601 instants. */
export function queryOf(filters: Filters, cursor: string | null): NotificationListOptions {
  const query: Record<string, string> = {};
  for (const [name, value] of Object.entries(filters)) {
    if (!value) continue;
    query[name] = name === 'createdFrom' || name === 'createdTo' ? new Date(value).toISOString() : value;
  }
  if (cursor) query.cursor = cursor;
  return query as unknown as NotificationListOptions;
}

export function FeedPage({ session, initial }: { session: Session; initial?: Record<string, string> }) {
  const [draft, setDraft] = useState<Filters>(() => startingFilters(initial));
  const [filters, setFilters] = useState<Filters>(() => startingFilters(initial));
  const [cursors, setCursors] = useState<Array<string | null>>([null]);
  const [page, setPage] = useState<NotificationList | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [live, setLive] = useState(true);
  const [updatedAt, setUpdatedAt] = useState<Date | null>(null);
  const cursor = cursors[cursors.length - 1];

  const load = useCallback(async () => {
    try {
      setPage(await session.sdk.notifications.list(queryOf(filters, cursor)));
      setError(null);
      setUpdatedAt(new Date());
    } catch (err) {
      setError(messageOf(err));
    }
  }, [session, filters, cursor]);

  useEffect(() => {
    void load();
    if (!live) return;
    const timer = setInterval(() => void load(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [load, live]);

  const set = (name: keyof Filters) => (e: Event) => setDraft({ ...draft, [name]: (e.currentTarget as HTMLInputElement).value });
  return (
    <section aria-labelledby="feed-title">
      <h1 id="feed-title">{en.feed.title}</h1>
      <form
        class="filters"
        aria-label={en.feed.filters}
        onSubmit={(e) => {
          e.preventDefault();
          setFilters(draft);
          setCursors([null]);
        }}
      >
        <Field label={en.feed.status}>
          <select name="status" value={draft.status} onChange={set('status')}>
            <Options values={LISTABLE_STATUSES} />
            <option value="">{en.feed.any}</option>
          </select>
        </Field>
        <Field label={en.feed.channel}>
          <select name="channel" value={draft.channel} onChange={set('channel')}>
            <option value="">{en.feed.any}</option>
            <Options values={CHANNELS} />
          </select>
        </Field>
        {FILTER_FIELDS.map((name) => (
          <Field key={name} label={en.feed[name]}>
            <input name={name} type={name === 'email' ? 'email' : 'text'} value={draft[name]} onInput={set(name)} />
          </Field>
        ))}
        <Field label={en.feed.createdFrom}>
          <input name="createdFrom" type="datetime-local" value={draft.createdFrom} onInput={set('createdFrom')} />
        </Field>
        <Field label={en.feed.createdTo}>
          <input name="createdTo" type="datetime-local" value={draft.createdTo} onInput={set('createdTo')} />
        </Field>
        <Field label={en.feed.pageSize}>
          <select name="limit" value={draft.limit} onChange={set('limit')}>
            <Options values={PAGE_SIZES} />
          </select>
        </Field>
        <button type="submit">{en.feed.apply}</button>
      </form>
      <p class="live">
        <label class="check">
          <input type="checkbox" checked={live} onChange={(e) => setLive(e.currentTarget.checked)} /> {en.feed.live}
        </label>
        <span aria-live="polite">{updatedAt ? en.feed.updated(updatedAt.toLocaleTimeString()) : ''}</span>
      </p>
      <ErrorNote error={error} />
      {page && page.items.length === 0 && <p>{en.feed.empty}</p>}
      {page && page.items.length > 0 && (
        <NotificationTable items={page.items} />
      )}
      <div class="paging">
        {cursors.length > 1 && (
          <button type="button" class="secondary" onClick={() => setCursors([null])}>
            {en.feed.first}
          </button>
        )}
        {page?.nextCursor && (
          <button type="button" class="secondary" onClick={() => setCursors([...cursors, page.nextCursor])}>
            {en.feed.more}
          </button>
        )}
      </div>
    </section>
  );
}
