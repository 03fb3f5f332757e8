import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { ApiKey, CreatedApiKey } from '../../../packages/sdk/src/index';
import { messageOf, type Session } from '../session';
import { en } from '../strings';
import { ConfirmDialog, ErrorNote, Field, Status, when } from './common';

const t = en.apiKeys;

type Scope = ApiKey['scopes'][number];
/** Every scope of the API, in the order a reader meets them; the compiler checks the list is complete. */
const SCOPES = ['notifications:read', 'notifications:write', 'admin'] as const satisfies readonly Scope[];
const EVERY_SCOPE: Exclude<Scope, (typeof SCOPES)[number]> extends never ? true : never = true;
void EVERY_SCOPE;

export function ApiKeysPage({ session }: { session: Session }) {
  const [keys, setKeys] = useState<ApiKey[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  // The secret lives here only: dismissed, or on leaving the page, it is gone for good.
  const [created, setCreated] = useState<CreatedApiKey | null>(null);
  const [revoking, setRevoking] = useState<ApiKey | null>(null);
  // Back from the secret, the keyboard focus returns to the form rather than to the page's start.
  const [focusForm, setFocusForm] = useState(false);
  const dialog = useRef<HTMLDialogElement>(null);

  const load = useCallback(async () => {
    try {
      setKeys((await session.sdk.apiKeys.list()).items);
      setError(null);
    } catch (err) {
      setError(messageOf(err));
    }
  }, [session]);
  useEffect(() => void load(), [load]);

  const revoke = async (key: ApiKey) => {
    try {
      await session.sdk.apiKeys.revoke(key.id);
      setNote(t.revokedNote(key.name));
      setError(null);
      await load();
    } catch (err) {
      setError(messageOf(err));
    }
  };

  return (
    <section aria-labelledby="keys-title">
      <h1 id="keys-title">{t.title}</h1>
      <ErrorNote error={error} />
      {note && (
        <p class="note" role="status">
          {note}
        </p>
      )}
      {created ? (
        <NewSecret
          created={created}
          onDismiss={() => {
            setCreated(null);
            setFocusForm(true);
          }}
        />
      ) : (
        <CreateForm
          session={session}
          focus={focusForm}
          onCreated={async (key) => {
            setCreated(key);
            setNote(null);
            setError(null);
            await load();
          }}
          onError={setError}
        />
      )}
      <h2>{t.listHeading}</h2>
      {keys && keys.length === 0 && <p>{t.empty}</p>}
      {keys && keys.length > 0 && (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t.name}</th>
                <th scope="col">{t.key}</th>
                <th scope="col">{t.scopes}</th>
                <th scope="col">{t.status}</th>
                <th scope="col">{t.created}</th>
                <th scope="col">{t.expires}</th>
                <th scope="col">{t.revoked}</th>
                <th scope="col">{t.actions}</th>
              </tr>
            </thead>
            <tbody>
              {keys.map((k) => (
                <tr key={k.id}>
                  <td>
                    {k.name}
                    <span class="mono block muted">{k.id}</span>
                  </td>
                  <td class="mono">{`${k.prefix}…${k.lastFour ?? ''}`}</td>
                  <td>{k.scopes.join(', ')}</td>
                  <td>
                    <Status status={k.status} />
                  </td>
                  <td>{when(k.createdAt)}</td>
                  <td>{k.expiresAt ? when(k.expiresAt) : t.never}</td>
                  <td>{when(k.revokedAt)}</td>
                  <td>
                    {k.status !== 'revoked' && (
                      <button
                        type="button"
                        class="secondary"
                        aria-label={t.revokeLabel(k.name)}
                        onClick={() => {
                          setRevoking(k);
                          dialog.current?.showModal();
                        }}
                      >
                        {t.revoke}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <ConfirmDialog
        dialog={dialog}
        id="revoke"
        title={revoking ? t.confirmTitle(revoking.name) : ''}
        text={revoking && (revoking.id === session.self.id ? `${t.confirmText} ${t.confirmSelf}` : t.confirmText)}
        cancel={t.cancel}
        confirm={t.confirm}
        onConfirm={() => revoking && void revoke(revoking)}
        onClose={() => setRevoking(null)}
      />
    </section>
  );
}

function CreateForm(props: { session: Session; focus: boolean; onCreated: (key: CreatedApiKey) => Promise<void>; onError: (message: string | null) => void }) {
  const { session, onCreated, onError } = props;
  const nameInput = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (props.focus) nameInput.current?.focus();
  }, [props.focus]);
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<Set<Scope>>(new Set(['notifications:read']));
  const [expiresAt, setExpiresAt] = useState('');
  const toggle = (scope: Scope) => {
    const next = new Set(scopes);
    if (next.has(scope)) next.delete(scope);
    else next.add(scope);
    setScopes(next);
  };
  const submit = async () => {
    if (scopes.size === 0) return onError(t.noScope);
    try {
      const key = await session.sdk.apiKeys.create({
        name: name.trim(),
        scopes: SCOPES.filter((s) => scopes.has(s)),
        ...(expiresAt ? { expiresAt: new Date(expiresAt).toISOString() } : {}),
      });
      await onCreated(key);
    } catch (err) {
      onError(messageOf(err));
    }
  };
  return (
    <form
      class="create-key"
      aria-labelledby="create-key-title"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <h2 id="create-key-title">{t.createHeading}</h2>
      <Field label={t.name}>
        <input ref={nameInput} name="name" required maxLength={100} value={name} onInput={(e) => setName(e.currentTarget.value)} />
      </Field>
      <fieldset>
        <legend>{t.scopes}</legend>
        {SCOPES.map((scope) => (
          <label key={scope} class="check">
            <input type="checkbox" name="scopes" value={scope} checked={scopes.has(scope)} onChange={() => toggle(scope)} />
            <span>
              <span class="mono">{scope}</span> <span class="muted">{t.scopeHints[scope]}</span>
            </span>
          </label>
        ))}
      </fieldset>
      <Field label={t.expiresAt}>
        <input name="expiresAt" type="datetime-local" value={expiresAt} onInput={(e) => setExpiresAt(e.currentTarget.value)} />
      </Field>
      <div>
        <button type="submit">{t.create}</button>
      </div>
    </form>
  );
}

/** The secret of a key just created, shown this once, with the hint to copy it now. */
function NewSecret({ created, onDismiss }: { created: CreatedApiKey; onDismiss: () => void }) {
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    input.current?.focus();
    input.current?.select();
  }, []);
  return (
    <div class="secret" role="region" aria-labelledby="secret-title">
      <h2 id="secret-title">{t.createdHeading(created.name)}</h2>
      <p id="secret-hint">{t.copyHint}</p>
      <label class="field">
        <span>{t.secret}</span>
        <input ref={input} class="mono" readOnly value={created.secret} aria-describedby="secret-hint" onFocus={(e) => e.currentTarget.select()} />
      </label>
      <div class="actions">
        <button type="button" onClick={onDismiss}>
          {t.dismiss}
        </button>
      </div>
    </div>
  );
}
