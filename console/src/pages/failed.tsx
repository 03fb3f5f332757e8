import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { messageOf, type Session } from '../session';
import { en } from '../strings';
import { act, ConfirmDialog, ErrorNote, NotificationCells, NotificationHeads, when } from './common';

const t = en.failed;

interface Row {
  id: string;
  channel: string;
  status: string;
  recipient: Record<string, unknown>;
  reason: string | null;
  at: string;
}

export function FailedPage({ session }: { session: Session }) {
  const [failed, setFailed] = useState<Row[]>([]);
  const [unknown, setUnknown] = useState<Row[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      const [f, u] = await Promise.all([
        session.sdk.notifications.list({ status: 'failed', limit: 100 }),
        session.sdk.notifications.list({ status: 'unknown', limit: 100 }),
      ]);
      const rows = (items: typeof f.items) => items.map((n) => ({ id: n.id, channel: n.channel, status: n.status, recipient: n.recipient, reason: n.statusReason, at: n.updatedAt }));
      setFailed(rows(f.items));
      setUnknown(rows(u.items));
      setError(null);
    } catch (err) {
      setError(messageOf(err));
    }
  }, [session]);
  useEffect(() => {
    void load();
    const timer = setInterval(() => void load(), 5000);
    return () => clearInterval(timer);
  }, [load]);

  const done = { note: setNote, error: setError, reload: load };
  const redrive = (ids: string[]) => act(async () => t.redriven((await session.sdk.deadLetters.redriveFailed({ ids })).redriven), done);
  const resend = (ids: string[]) => act(async () => t.resent((await session.sdk.notifications.resendUnknown(ids, { acceptDuplicateRisk: true })).resent), done);

  return (
    <section aria-labelledby="failed-title">
      <h1 id="failed-title">{t.title}</h1>
      <ErrorNote error={error} />
      {note && (
        <p class="note" role="status">
          {note}
        </p>
      )}
      <Selectable heading={t.failedHeading} rows={failed} canAct={session.canAct} action={t.redrive} onAct={redrive} />
      <Selectable heading={t.unknownHeading} intro={t.unknownIntro} rows={unknown} canAct={session.canAct} action={t.resend} onAct={resend} confirm />
    </section>
  );
}

function Selectable(props: { heading: string; intro?: string; rows: Row[]; canAct: boolean; action: string; onAct: (ids: string[]) => Promise<void>; confirm?: boolean }) {
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const dialog = useRef<HTMLDialogElement>(null);
  const ids = props.rows.map((r) => r.id).filter((id) => selected.has(id));
  const run = async () => {
    await props.onAct(ids);
    setSelected(new Set());
  };
  const toggle = (id: string) => {
    const next = new Set(selected);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setSelected(next);
  };
  return (
    <div class="selectable">
      <h2>{props.heading}</h2>
      {props.intro && <p>{props.intro}</p>}
      {props.rows.length === 0 && <p>{t.empty}</p>}
      {props.rows.length > 0 && (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                {props.canAct && <th scope="col"><span class="visually-hidden">{props.action}</span></th>}
                <NotificationHeads />
                <th scope="col">{en.timeline.reason}</th>
                <th scope="col">{en.columns.updated}</th>
              </tr>
            </thead>
            <tbody>
              {props.rows.map((r) => (
                <tr key={r.id}>
                  {props.canAct && (
                    <td>
                      <input type="checkbox" aria-label={t.select(r.id)} checked={selected.has(r.id)} onChange={() => toggle(r.id)} />
                    </td>
                  )}
                  <NotificationCells n={r} />
                  <td>{r.reason ?? en.timeline.none}</td>
                  <td>{when(r.at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {props.canAct && props.rows.length > 0 && (
        <button type="button" disabled={ids.length === 0} onClick={() => (props.confirm ? dialog.current?.showModal() : void run())}>
          {props.action}
        </button>
      )}
      {props.canAct && props.confirm && (
        <ConfirmDialog dialog={dialog} id="confirm" title={t.confirmTitle} text={t.confirmText(ids.length)} cancel={t.cancel} confirm={t.confirm} onConfirm={() => void run()} />
      )}
    </div>
  );
}
