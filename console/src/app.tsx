import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { DeadLettersPage } from './pages/dead-letters';
import { FailedPage } from './pages/failed';
import { FeedPage } from './pages/feed';
import { RecipientPage } from './pages/recipient';
import { SignIn } from './pages/sign-in';
import { TemplatesPage } from './pages/templates';
import { TimelinePage } from './pages/timeline';
import { href, useRoute, type Route } from './route';
import { resume, signOut, type Session } from './session';
import { en } from './strings';

export function App() {
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  useEffect(() => {
    resume().then(setSession, () => setSession(null));
  }, []);
  if (session === undefined) return <p class="loading">{en.loading}</p>;
  if (!session) return <SignIn onSignedIn={setSession} />;
  return (
    <Shell
      session={session}
      onSignOut={() => {
        signOut();
        setSession(null);
      }}
    />
  );
}

const NAV: Array<{ page: Route['page']; href: string; label: string; adminOnly?: true }> = [
  { page: 'feed', href: href.feed, label: en.nav.feed },
  { page: 'failed', href: href.failed, label: en.nav.failed },
  { page: 'templates', href: href.templates(), label: en.nav.templates },
  { page: 'recipients', href: href.recipient(), label: en.nav.recipients },
  // The dead-letter queues are for admin keys only (the API refuses any other key).
  { page: 'dead-letters', href: href.deadLetters, label: en.nav.deadLetters, adminOnly: true },
];

function Shell({ session, onSignOut }: { session: Session; onSignOut: () => void }) {
  const route = useRoute();
  const main = useRef<HTMLElement>(null);
  // A new page moves the focus to its content, as a page load would, for keyboard and screen-reader users; before
  // the page is painted, so that nothing typed on it meanwhile goes to the link that was followed.
  useLayoutEffect(() => main.current?.focus(), [route.page]);
  const current = route.page === 'notification' ? 'feed' : route.page;
  return (
    <div class="shell">
      <a class="skip" href="#main" onClick={(e) => (e.preventDefault(), main.current?.focus())}>
        {en.nav.skip}
      </a>
      <header class="top">
        <span class="brand">{en.appName}</span>
        <nav aria-label={en.nav.label}>
          <ul>
            {NAV.filter((item) => session.canAct || !item.adminOnly).map((item) => (
              <li key={item.page}>
                <a href={item.href} aria-current={current === item.page ? 'page' : undefined}>
                  {item.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <span class="who">{en.signIn.signedInAs(session.self.name, session.self.scopes.join(', '))}</span>
        <button type="button" class="secondary" onClick={onSignOut}>
          {en.signIn.signOut}
        </button>
      </header>
      <main id="main" ref={main} tabIndex={-1}>
        <Page route={route} session={session} />
      </main>
    </div>
  );
}

function Page({ route, session }: { route: Route; session: Session }) {
  switch (route.page) {
    case 'feed':
      return <FeedPage session={session} />;
    case 'notification':
      return <TimelinePage session={session} id={route.id} />;
    case 'failed':
      return <FailedPage session={session} />;
    case 'templates':
      return <TemplatesPage session={session} initialKey={route.key} />;
    case 'recipients':
      return <RecipientPage session={session} userId={route.userId} />;
    case 'dead-letters':
      return session.canAct ? <DeadLettersPage session={session} /> : <p>{en.deadLetters.adminOnly}</p>;
  }
}
