import type { ComponentChildren, RefObject } from 'preact';
import { useCallback, useEffect, useState } from 'preact/hooks';
import { href } from '../route';
import { messageOf } from '../session';
import { en } from '../strings';

export const CHANNELS = ['email', 'sms', 'push', 'webpush', 'chat', 'inapp'] as const;

export function ErrorNote({ error }: { error: string | null }) {
  return error ? (
    <p class="error" role="alert">
      {en.error(error)}
    </p>
  ) : null;
}

export function Status({ status }: { status: string }) {
  return <span class={`status status-${status}`}>{status}</span>;
}

export function when(iso: string | null | undefined): string {
  return iso ? new Date(iso).toLocaleString() : en.timeline.none;
}

export function recipientOf(recipient: Record<string, unknown>): string {
  return ['userId', 'email', 'phone'].map((k) => recipient[k]).filter((v): v is string => typeof v === 'string').join(' · ') || en.timeline.none;
}

/** Who a notification is for: the user id (a link to their recipient page), then the addresses it carried. */
export function RecipientOf({ recipient }: { recipient: Record<string, unknown> }) {
  const userId = typeof recipient.userId === 'string' ? recipient.userId : null;
  const addresses = ['email', 'phone'].map((k) => recipient[k]).filter((v): v is string => typeof v === 'string');
  if (!userId) return <>{recipientOf(recipient)}</>;
  return (
    <>
      <a href={href.recipient(userId)} aria-label={en.timeline.openRecipient(userId)}>
        {userId}
      </a>
      {addresses.map((a) => ` · ${a}`).join('')}
    </>
  );
}

export function Field({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <label class="field">
      <span>{label}</span>
      {children}
    </label>
  );
}

/** The options of a select whose values are shown as they are (statuses, channels, locales). */
export function Options({ values }: { values: readonly string[] }) {
  return (
    <>
      {values.map((v) => (
        <option key={v} value={v}>
          {v}
        </option>
      ))}
    </>
  );
}

/** Runs an action, then says what it did (or what Herald answered) and reloads the list it changed. */
export async function act(run: () => Promise<string>, done: { note: (text: string) => void; error: (text: string) => void; reload: () => Promise<void> }): Promise<void> {
  try {
    done.note(await run());
    await done.reload();
  } catch (err) {
    done.error(messageOf(err));
  }
}

/** The first columns of every list of notifications: id (a link to its timeline), channel, status, recipient. */
export function NotificationHeads() {
  return (
    <>
      <th scope="col">{en.columns.id}</th>
      <th scope="col">{en.columns.channel}</th>
      <th scope="col">{en.columns.status}</th>
      <th scope="col">{en.columns.recipient}</th>
    </>
  );
}

export function NotificationCells({ n }: { n: { id: string; channel: string; status: string; recipient: Record<string, unknown> } }) {
  return (
    <>
      <td>
        <a href={href.notification(n.id)} class="mono">
          {n.id}
        </a>
      </td>
      <td>{n.channel}</td>
      <td>
        <Status status={n.status} />
      </td>
      <td>
        <RecipientOf recipient={n.recipient} />
      </td>
    </>
  );
}

/** A rate (0 to 1) as a percentage with at most one decimal; a dash when there is none. */
export function percent(rate: number | null | undefined): string {
  return rate === null || rate === undefined ? en.timeline.none : rate.toLocaleString(undefined, { style: 'percent', maximumFractionDigits: 1 });
}

/** A list of notifications as the feed shows them: the first columns, then when each last changed. */
export function NotificationTable({ items }: { items: Array<{ id: string; channel: string; status: string; recipient: Record<string, unknown>; updatedAt: string }> }) {
  return (
    <div class="table-wrap">
      <table>
        <thead>
          <tr>
            <NotificationHeads />
            <th scope="col">{en.columns.updated}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((n) => (
            <tr key={n.id}>
              <NotificationCells n={n} />
              <td>{when(n.updatedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/**
 * A modal confirmation: the action runs only through its confirm button, after the dialog has closed; Cancel and
 * Escape close it and do nothing. Opened with `dialog.current.showModal()`.
 */
export function ConfirmDialog(props: {
  dialog: RefObject<HTMLDialogElement>;
  id: string;
  title: string;
  text: ComponentChildren;
  cancel: string;
  confirm: string;
  onConfirm: () => void;
  onClose?: () => void;
}) {
  return (
    <dialog ref={props.dialog} aria-labelledby={`${props.id}-title`} aria-describedby={`${props.id}-text`} onClose={props.onClose}>
      <h2 id={`${props.id}-title`}>{props.title}</h2>
      <p id={`${props.id}-text`}>{props.text}</p>
      <div class="actions">
        <button type="button" class="secondary" onClick={() => props.dialog.current?.close()}>
          {props.cancel}
        </button>
        <button
          type="button"
          class="danger"
          onClick={() => {
            props.dialog.current?.close();
            props.onConfirm();
          }}
        >
          {props.confirm}
        </button>
      </div>
    </dialog>
  );
}

/** Loads `load` whenever its inputs change, keeping the last answer or the error; answers of a superseded call are dropped. */
export function useLoaded<T>(load: () => Promise<T>): { value: T | null; error: string | null; reload: () => void } {
  const [value, setValue] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [round, setRound] = useState(0);
  useEffect(() => {
    let stale = false;
    load().then(
      (v) => !stale && (setValue(v), setError(null)),
      (err: unknown) => !stale && setError(messageOf(err)),
    );
    return () => {
      stale = true;
    };
  }, [load, round]);
  const reload = useCallback(() => setRound((r) => r + 1), []);
  return { value, error, reload };
}
