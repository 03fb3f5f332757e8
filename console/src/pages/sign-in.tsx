import { useState } from 'preact/hooks';
import { messageOf, signIn, type Session } from '../session';
import { en } from '../strings';
import { ErrorNote, Field } from './common';

export function SignIn({ onSignedIn }: { onSignedIn: (session: Session) => void }) {
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const session = await signIn(key.trim());
      if (session) onSignedIn(session);
      else setError(en.signIn.refused);
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <main class="sign-in">
      <h1>{en.appName}</h1>
      <form onSubmit={(e) => void submit(e)} aria-labelledby="sign-in-title">
        <h2 id="sign-in-title">{en.signIn.title}</h2>
        <p>{en.signIn.intro}</p>
        <Field label={en.signIn.key}>
          <input type="password" name="apiKey" autoComplete="off" required value={key} onInput={(e) => setKey(e.currentTarget.value)} />
        </Field>
        <button type="submit" disabled={busy}>
          {en.signIn.submit}
        </button>
        <ErrorNote error={error} />
      </form>
    </main>
  );
}
