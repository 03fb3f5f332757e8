import { useCallback, useEffect, useState } from 'preact/hooks';
import type { ApiKey, AuditLogListOptions, AuditLogPage as Page } from '../../../packages/sdk/src/index';
import { messageOf, type Session } from '../session';
import { en } from '../strings';
import { ErrorNote, Field, Options, when } from './common';

const t = en.auditLog;
const PAGE_SIZE = 25;

type Entry = Page['items'][number];
type Action = Entry['action'];
/** Every action the API records; the compiler checks the list is complete. */
const ACTIONS = [
  'api_key.created',
  'api_key.revoked',
  'suppression.added',
  'suppression.removed',
  'template.published',
  'category.changed',
  'preferences.changed',
  'notifications.redriven',
  'notifications.resent',
  'dead_letters.redriven',
  'fanout.started',
] as const satisfies readonly Action[];
const EVERY_ACTION: Exclude<Action, (typeof ACTIONS)[number]> extends never ? true : never = true;
void EVERY_ACTION;

type Filters = { action: string; keyId: string; from: string; to: string };
const NO_FILTERS: Filters = { action: '', keyId: '', from: '', to: '' };

/** The query of GET /v1/audit-log: only the filters given, times as ISO 8601 instants. */
function queryOf(filters: Filters, cursor: string | null): AuditLogListOptions {
  const query: AuditLogListOptions = { limit: PAGE_SIZE };
  if (filters.action) query.action = filters.action as Action;
  if (filters.keyId) query.keyId = filters.keyId;
  if (filters.from) query.from = new Date(filters.from).toISOString();
  if (filters.to) query.to = new Date(filters.to).toISOString();
  if (cursor) query.cursor = cursor;
  return query;
}

export function AuditLogPage({ session }: { session: Session }) {
  const [draft, setDraft] = useState<Filters>(NO_FILTERS);
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [cursors, setCursors] = useState<Array<string | null>>([null]);
  const [page, setPage] = useState<Page | null>(null);
  const [keys, setKeys] = useState<ApiKey[]>([]);
  const [error, setError] = useState<string | null>(null);
  const cursor = cursors[cursors.length - 1];

  useEffect(() => {
    // Names for the key ids; the log is readable without them.
    session.sdk.apiKeys.list().then(
      (list) => setKeys(list.items),
      () => undefined,
    );
  }, [session]);
  const load = useCallback(async () => {
    try {
      setPage(await session.sdk.auditLog.list(queryOf(filters, cursor)));
      setError(null);
    } catch (err) {
      setError(messageOf(err));
    }
  }, [session, filters, cursor]);
  useEffect(() => void load(), [load]);

  const keyName = (id: string | null) => {
    if (!id) return t.byCli;
    const key = keys.find((k) => k.id === id);
    return key ? t.keyName(key.name, id) : id;
  };
  const set = (name: keyof Filters) => (e: Event) => setDraft({ ...draft, [name]: (e.currentTarget as HTMLInputElement).value });
  return (
    <section aria-labelledby="audit-title">
      <h1 id="audit-title">{t.title}</h1>
      <form
        class="filters spaced"
        aria-label={t.filters}
        onSubmit={(e) => {
          e.preventDefault();
          setFilters(draft);
          setCursors([null]);
        }}
      >
        <Field label={t.action}>
          <select name="action" value={draft.action} onChange={set('action')}>
            <option value="">{t.any}</option>
            <Options values={ACTIONS} />
          </select>
        </Field>
        <Field label={t.key}>
          <select name="keyId" value={draft.keyId} onChange={set('keyId')}>
            <option value="">{t.any}</option>
            {keys.map((k) => (
              <option key={k.id} value={k.id}>
                {t.keyName(k.name, k.id)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t.from}>
          <input name="from" type="datetime-local" value={draft.from} onInput={set('from')} />
        </Field>
        <Field label={t.to}>
          <input name="to" type="datetime-local" value={draft.to} onInput={set('to')} />
        </Field>
        <button type="submit">{t.apply}</button>
      </form>
      <ErrorNote error={error} />
      {page && page.items.length === 0 && <p>{t.empty}</p>}
      {page?.items.map((entry) => (
        <article key={entry.id} class="audit-entry" aria-label={t.entry(entry.action, entry.target)}>
          <h2 class="mono">{entry.action}</h2>
          <dl class="facts">
            <dt>{t.at}</dt>
            <dd>{when(entry.at)}</dd>
            <dt>{t.key}</dt>
            <dd class="mono">{keyName(entry.keyId)}</dd>
            <dt>{t.target}</dt>
            <dd class="mono">{entry.target}</dd>
          </dl>
          <Changes before={entry.before} after={entry.after} />
        </article>
      ))}
      <div class="paging">
        {cursors.length > 1 && (
          <button type="button" class="secondary" onClick={() => setCursors([null])}>
            {t.first}
          </button>
        )}
        {page?.nextCursor && (
          <button type="button" class="secondary" onClick={() => setCursors([...cursors, page.nextCursor])}>
            {t.more}
          </button>
        )}
      </div>
    </section>
  );
}

/** Every field of the state before and after, side by side; a field whose value differs is marked as changed. */
function Changes({ before, after }: { before: Entry['before']; after: Entry['after'] }) {
  const fields = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])];
  if (fields.length === 0) return null;
  return (
    <div class="table-wrap">
      <table class="changes">
        <thead>
          <tr>
            <th scope="col">{t.field}</th>
            <th scope="col">{t.before}</th>
            <th scope="col">{t.after}</th>
          </tr>
        </thead>
        <tbody>
          {fields.map((field) => {
            const was = before && field in before ? JSON.stringify(before[field]) : undefined;
            const is = after && field in after ? JSON.stringify(after[field]) : undefined;
            const changed = was !== is;
            return (
              <tr key={field} class={changed ? 'changed' : undefined}>
                <th scope="row" class="mono">
                  {field}
                  {changed && <span class="tag">{t.changed}</span>}
                </th>
                <td class="mono">{shown(was)}</td>
                <td class="mono">{shown(is)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** A value as JSON; a field the state does not have as a dash. */
function shown(json: string | undefined): string {
  if (json === undefined) return t.absent;
  // A string without its quotes, unless it is empty.
  return json.startsWith('"') && json !== '""' ? (JSON.parse(json) as string) : json;
}
