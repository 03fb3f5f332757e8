import { useEffect, useState } from 'preact/hooks';
import { HeraldError, type InboxPage, type NotificationList, type Preferences, type Recipient } from '../../../packages/sdk/src/index';
import { href } from '../route';
import { messageOf, type Session } from '../session';
import { en } from '../strings';
import { CHANNELS, ErrorNote, Field, NotificationTable, when } from './common';

const t = en.recipients;
const RECENT = 20;

/** Preferences are changed with notifications:write (admin implies it); the API refuses any other key anyway. */
const canWrite = (session: Session) => session.self.scopes.includes('notifications:write') || session.self.scopes.includes('admin');

export function RecipientPage({ session, userId }: { session: Session; userId?: string }) {
  return (
    <section aria-labelledby="recipient-title">
      <h1 id="recipient-title">
        {userId ? (
          <>
            {t.title} <span class="mono">{userId}</span>
          </>
        ) : (
          t.listTitle
        )}
      </h1>
      {!userId && <p>{t.intro}</p>}
      {/* Keyed by user id: the field starts from the recipient shown, in the same render as the page. */}
      <OpenRecipient key={userId ?? ''} userId={userId} />
      {userId && (
        // Keyed by user id: another recipient starts from a clean page.
        <div key={userId}>
          <Profile session={session} userId={userId} />
          <PreferencesEditor session={session} userId={userId} />
          <Inbox session={session} userId={userId} />
          <RecentNotifications session={session} userId={userId} />
        </div>
      )}
    </section>
  );
}

function OpenRecipient({ userId }: { userId?: string }) {
  const [draft, setDraft] = useState(userId ?? '');
  return (
    <form
      class="inline"
      onSubmit={(e) => {
        e.preventDefault();
        const wanted = draft.trim();
        if (wanted) location.hash = href.recipient(wanted);
      }}
    >
      <Field label={t.userId}>
        <input name="userId" required value={draft} onInput={(e) => setDraft(e.currentTarget.value)} />
      </Field>
      <button type="submit">{t.open}</button>
    </form>
  );
}

/** Runs a read once per user id; its answer, or what Herald said instead. */
function useRead<T>(read: () => Promise<T>, deps: unknown[]): { value: T | null; error: unknown; set: (value: T) => void } {
  const [value, setValue] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    let stop = false;
    read().then(
      (v) => !stop && (setValue(v), setError(null)),
      (err: unknown) => !stop && setError(err),
    );
    return () => void (stop = true);
  }, deps);
  return { value, error, set: setValue };
}

function Profile({ session, userId }: { session: Session; userId: string }) {
  const { value: profile, error } = useRead<Recipient>(() => session.sdk.recipients.get(userId), [session, userId]);
  const missing = error instanceof HeraldError && error.status === 404;
  return (
    <>
      <h2>{t.profile}</h2>
      {missing ? <p>{t.noProfile}</p> : <ErrorNote error={error ? messageOf(error) : null} />}
      {profile && (
        <dl class="facts">
          <dt>{t.email}</dt>
          <dd>{profile.email ?? en.timeline.none}</dd>
          <dt>{t.phone}</dt>
          <dd>{profile.phone ?? en.timeline.none}</dd>
          <dt>{t.locale}</dt>
          <dd>{profile.locale ?? en.timeline.none}</dd>
          <dt>{t.timezone}</dt>
          <dd>{profile.timezone ?? en.timeline.none}</dd>
          <dt>{t.deviceTokens}</dt>
          <dd>
            {profile.deviceTokens.length === 0 ? (
              en.timeline.none
            ) : (
              <ul class="plain">
                {profile.deviceTokens.map((d, i) => (
                  <li key={i}>
                    {d.platform} <span class="mono">{d.token}</span>
                  </li>
                ))}
              </ul>
            )}
          </dd>
          <dt>{t.chatDestinations}</dt>
          <dd>
            {profile.chatDestinations.length === 0 ? (
              en.timeline.none
            ) : (
              <ul class="plain">
                {profile.chatDestinations.map((d, i) => (
                  <li key={i}>
                    {d.type} <span class="mono">{d.url}</span> ({d.enabled ? t.enabled : t.disabled})
                  </li>
                ))}
              </ul>
            )}
          </dd>
          <dt>{t.attributes}</dt>
          <dd>{Object.keys(profile.attributes).length === 0 ? en.timeline.none : <pre>{JSON.stringify(profile.attributes, null, 2)}</pre>}</dd>
        </dl>
      )}
    </>
  );
}

type Choices = Record<string, Record<string, boolean>>;

/**
 * The user's choices: channels off everywhere, and per category whether each channel is sent (as Herald resolves it).
 * A key that may write changes them here; saving sends the whole set (PUT replaces every earlier choice), keeping the
 * explicit choices it did not touch.
 */
function PreferencesEditor({ session, userId }: { session: Session; userId: string }) {
  const { value: prefs, error, set } = useRead<Preferences>(() => session.sdk.preferences.get(userId), [session, userId]);
  // Edits over what Herald holds (null, {}: none), dropped once saved; read with what is stored, never copied from it.
  const [optedOutDraft, setOptedOut] = useState<string[] | null>(null);
  const [changes, setChanges] = useState<Choices>({});
  const [note, setNote] = useState<string | null>(null);
  const [saveError, setSaveError] = useState<string | null>(null);
  const writable = canWrite(session);
  const optedOut: string[] = optedOutDraft ?? prefs?.optedOutChannels ?? [];

  const shown = (category: string, channel: string, effective: Record<string, boolean>) =>
    changes[category]?.[channel] ?? prefs?.categories[category]?.[channel] ?? effective[channel] ?? true;

  const save = async () => {
    if (!prefs) return;
    const categories: Choices = { ...prefs.categories };
    for (const [category, channels] of Object.entries(changes)) categories[category] = { ...(categories[category] ?? {}), ...channels };
    try {
      set(await session.sdk.preferences.put(userId, { categories, optedOutChannels: optedOut as Preferences['optedOutChannels'] }));
      setOptedOut(null);
      setChanges({});
      setNote(t.saved);
      setSaveError(null);
    } catch (err) {
      setNote(null);
      setSaveError(messageOf(err));
    }
  };

  return (
    <>
      <h2>{t.preferences}</h2>
      <ErrorNote error={error ? messageOf(error) : null} />
      {prefs && (
        <form
          aria-label={t.preferences}
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          <fieldset disabled={!writable}>
            <legend>{t.optedOut}</legend>
            <div class="checks">
              {CHANNELS.map((channel) => (
                <label class="check" key={channel}>
                  <input
                    type="checkbox"
                    name={`optout-${channel}`}
                    checked={optedOut.includes(channel)}
                    aria-label={t.optOut(channel)}
                    onChange={(e) => setOptedOut(e.currentTarget.checked ? [...optedOut, channel] : optedOut.filter((c) => c !== channel))}
                  />{' '}
                  {channel}
                </label>
              ))}
            </div>
          </fieldset>
          <h3>{t.categories}</h3>
          {prefs.effective.length === 0 ? (
            <p>{t.noCategories}</p>
          ) : (
            <div class="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t.category}</th>
                    {CHANNELS.map((c) => (
                      <th scope="col" key={c}>
                        {c}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {prefs.effective.map((category) => (
                    <tr key={category.name}>
                      <th scope="row">
                        {category.name}
                        {category.critical ? ` (${t.critical})` : ''}
                      </th>
                      {CHANNELS.map((channel) => (
                        <td key={channel}>
                          <input
                            type="checkbox"
                            aria-label={t.channelIn(channel, category.name)}
                            disabled={!writable}
                            checked={shown(category.name, channel, category.channels)}
                            onChange={(e) => {
                              const checked = e.currentTarget.checked;
                              setChanges({ ...changes, [category.name]: { ...(changes[category.name] ?? {}), [channel]: checked } });
                            }}
                          />
                        </td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {writable ? (
            <div class="actions">
              <button type="submit">{t.save}</button>
            </div>
          ) : (
            <p>{t.readOnly}</p>
          )}
          {note && (
            <p class="note" role="status">
              {note}
            </p>
          )}
          <ErrorNote error={saveError} />
        </form>
      )}
    </>
  );
}

function Inbox({ session, userId }: { session: Session; userId: string }) {
  const { value: inbox, error } = useRead<InboxPage>(() => session.sdk.inbox.list(userId), [session, userId]);
  return (
    <>
      <h2>{t.inbox}</h2>
      <ErrorNote error={error ? messageOf(error) : null} />
      {inbox && (
        <>
          <p>{t.unread(inbox.unreadCount)}</p>
          {inbox.items.length === 0 ? (
            <p>{t.inboxEmpty}</p>
          ) : (
            <ul class="inbox">
              {inbox.items.map((item) => (
                <li key={item.id}>
                  <strong>{item.title}</strong> <span class="muted">({item.archivedAt ? t.archived : item.readAt ? t.read : t.unreadItem}, {when(item.createdAt)})</span>
                  <br />
                  {item.body}
                  <br />
                  <a href={href.notification(item.notificationId)} class="mono">
                    {item.notificationId}
                  </a>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </>
  );
}

function RecentNotifications({ session, userId }: { session: Session; userId: string }) {
  const { value: page, error } = useRead<NotificationList>(() => session.sdk.notifications.list({ userId, limit: RECENT }), [session, userId]);
  return (
    <>
      <h2>{t.notifications}</h2>
      <ErrorNote error={error ? messageOf(error) : null} />
      {page && page.items.length === 0 && <p>{t.noNotifications}</p>}
      {page && page.items.length > 0 && (
        <NotificationTable items={page.items} />
      )}
    </>
  );
}
