import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { SuppressionChannel, SuppressionList } from '../../../packages/sdk/src/index';
import { messageOf, type Session } from '../session';
import { en } from '../strings';
import { act, ConfirmDialog, ErrorNote, Field, Options, when } from './common';

const t = en.suppressions;
const SUPPRESSIBLE: readonly SuppressionChannel[] = ['email', 'sms'];

type Entry = SuppressionList['items'][number];

export function SuppressionsPage({ session }: { session: Session }) {
  const [filter, setFilter] = useState({ channel: '', address: '' });
  const [shown, setShown] = useState(filter);
  const [list, setList] = useState<SuppressionList | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [draft, setDraft] = useState({ channel: 'email' as SuppressionChannel, address: '', reason: '' });
  const [removing, setRemoving] = useState<Entry | null>(null);
  const dialog = useRef<HTMLDialogElement>(null);

  const load = useCallback(async () => {
    try {
      setList(
        await session.sdk.suppressions.list({
          ...(shown.channel ? { channel: shown.channel as SuppressionChannel } : {}),
          ...(shown.address ? { address: shown.address } : {}),
          limit: 100,
        }),
      );
      setError(null);
    } catch (err) {
      setError(messageOf(err));
    }
  }, [session, shown]);
  useEffect(() => void load(), [load]);

  const done = { note: setNote, error: setError, reload: load };
  const add = () =>
    act(async () => {
      const address = draft.address.trim();
      const { added } = await session.sdk.suppressions.add({ channel: draft.channel, address, ...(draft.reason.trim() ? { reason: draft.reason.trim() } : {}) });
      setDraft({ ...draft, address: '', reason: '' });
      return added ? t.addedNote(address) : t.alreadyNote(address);
    }, done);
  const remove = (entry: Entry) =>
    act(async () => {
      await session.sdk.suppressions.remove(entry.channel as SuppressionChannel, entry.address);
      return t.removedNote(entry.address);
    }, done);

  return (
    <section aria-labelledby="suppressions-title">
      <h1 id="suppressions-title">{t.title}</h1>
      <p>{t.intro}</p>
      <h2 id="suppression-add">{t.addTitle}</h2>
      <form
        class="inline"
        aria-labelledby="suppression-add"
        onSubmit={(e) => {
          e.preventDefault();
          void add();
        }}
      >
        <Field label={t.channel}>
          <select name="channel" value={draft.channel} onChange={(e) => setDraft({ ...draft, channel: e.currentTarget.value as SuppressionChannel })}>
            <Options values={SUPPRESSIBLE} />
          </select>
        </Field>
        <Field label={t.address}>
          <input name="address" type="text" required maxLength={320} value={draft.address} onInput={(e) => setDraft({ ...draft, address: e.currentTarget.value })} />
        </Field>
        <Field label={t.reason}>
          <input name="reason" type="text" maxLength={500} value={draft.reason} onInput={(e) => setDraft({ ...draft, reason: e.currentTarget.value })} />
        </Field>
        <button type="submit">{t.add}</button>
      </form>
      {note && (
        <p class="note" role="status">
          {note}
        </p>
      )}
      <ErrorNote error={error} />
      <h2 id="suppression-list">{t.listTitle}</h2>
      <form
        class="inline"
        aria-labelledby="suppression-list"
        onSubmit={(e) => {
          e.preventDefault();
          setShown(filter);
        }}
      >
        <Field label={t.filterChannel}>
          <select name="filter-channel" value={filter.channel} onChange={(e) => setFilter({ ...filter, channel: e.currentTarget.value })}>
            <option value="">{t.any}</option>
            <Options values={SUPPRESSIBLE} />
          </select>
        </Field>
        <Field label={t.filterAddress}>
          <input name="filter-address" type="text" value={filter.address} onInput={(e) => setFilter({ ...filter, address: e.currentTarget.value })} />
        </Field>
        <button type="submit" class="secondary">
          {t.search}
        </button>
      </form>
      {list && list.items.length === 0 && <p>{t.empty}</p>}
      {list && list.items.length > 0 && (
        <div class="table-wrap">
          <table aria-labelledby="suppression-list">
            <thead>
              <tr>
                <th scope="col">{t.channel}</th>
                <th scope="col">{t.address}</th>
                <th scope="col">{t.reason}</th>
                <th scope="col">{t.source}</th>
                <th scope="col">{t.added}</th>
                <th scope="col">
                  <span class="visually-hidden">{t.remove}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.items.map((s) => (
                <tr key={`${s.channel}/${s.address}`}>
                  <td>{s.channel}</td>
                  <td class="mono">{s.address}</td>
                  <td>{s.reason}</td>
                  <td>{s.source}</td>
                  <td>{when(s.createdAt)}</td>
                  <td>
                    <button
                      type="button"
                      class="secondary"
                      aria-label={t.removeLabel(s.address)}
                      onClick={() => {
                        setRemoving(s);
                        dialog.current?.showModal();
                      }}
                    >
                      {t.remove}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <ConfirmDialog
        dialog={dialog}
        id="remove"
        title={t.confirmTitle}
        text={removing ? t.confirmText(removing.address, removing.channel) : ''}
        cancel={t.cancel}
        confirm={t.confirm}
        onConfirm={() => removing && void remove(removing)}
        onClose={() => setRemoving(null)}
      />
    </section>
  );
}
