import { useState } from 'preact/hooks';
import type { DeadLetterChannel, DeadLetterList } from '../../../packages/sdk/src/index';
import { href } from '../route';
import { messageOf, type Session } from '../session';
import { en } from '../strings';
import { act, CHANNELS, ErrorNote, Field, Options, when } from './common';

const t = en.deadLetters;

export function DeadLettersPage({ session }: { session: Session }) {
  const [channel, setChannel] = useState<DeadLetterChannel>('email');
  const [list, setList] = useState<DeadLetterList | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const load = async () => {
    try {
      setList(await session.sdk.deadLetters.list(channel));
      setError(null);
    } catch (err) {
      setError(messageOf(err));
    }
  };
  const redrive = () =>
    act(async () => t.redriven((await session.sdk.deadLetters.redrive(channel, { messageIds: list!.items.map((m) => m.messageId) })).redriven), { note: setNote, error: setError, reload: load });
  return (
    <section aria-labelledby="dl-title">
      <h1 id="dl-title">{t.title}</h1>
      <form
        class="inline"
        onSubmit={(e) => {
          e.preventDefault();
          void load();
        }}
      >
        <Field label={t.channel}>
          <select name="channel" value={channel} onChange={(e) => setChannel(e.currentTarget.value as DeadLetterChannel)}>
            <Options values={CHANNELS} />
          </select>
        </Field>
        <button type="submit">{t.load}</button>
      </form>
      <ErrorNote error={error} />
      {note && (
        <p class="note" role="status">
          {note}
        </p>
      )}
      {list && list.items.length === 0 && <p>{t.empty}</p>}
      {list && list.items.length > 0 && (
        <>
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t.message}</th>
                  <th scope="col">{t.receiveCount}</th>
                  <th scope="col">{t.sentAt}</th>
                  <th scope="col">{t.notifications}</th>
                </tr>
              </thead>
              <tbody>
                {list.items.map((m) => (
                  <tr key={m.messageId}>
                    <td class="mono">{m.messageId}</td>
                    <td>{m.receiveCount}</td>
                    <td>{when(m.sentAt)}</td>
                    <td>
                      {m.notificationIds.map((id) => (
                        <a key={id} class="mono block" href={href.notification(id)}>
                          {id}
                        </a>
                      ))}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {session.canAct && (
            <button type="button" onClick={() => void redrive()}>
              {t.redrive}
            </button>
          )}
        </>
      )}
    </section>
  );
}
