import { useLayoutEffect, useRef, useState, useEffect } from 'preact/hooks';
import { ApiKeysPage } from './pages/api-keys';
import { AuditLogPage } from './pages/audit-log';
import { DeadLettersPage } from './pages/dead-letters';
import { EngagementPage } from './pages/engagement';
import { FailedPage } from './pages/failed';
import { FeedPage } from './pages/feed';
import { ProvidersPage } from './pages/providers';
import { RecipientPage } from './pages/recipient';
import { SignIn } from './pages/sign-in';
import { SuppressionsPage } from './pages/suppressions';
import { TemplatesPage } from './pages/templates';
import { TimelinePage } from './pages/timeline';
import { TopicsPage } from './pages/topics';
import { WorkflowsPage } from './pages/workflows';
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
  { page: 'topics', href: href.topics(), label: en.nav.topics },
  // Read with notifications:read, as templates and topics are.
  { page: 'workflows', href: href.workflows(), label: en.nav.workflows },
  { page: 'recipients', href: href.recipient(), label: en.nav.recipients },
  { page: 'providers', href: href.providers, label: en.providers.nav },
  { page: 'engagement', href: href.engagement, label: en.engagement.nav },
  // The dead-letter queues are for admin keys only (the API refuses any other key).
  { page: 'dead-letters', href: href.deadLetters, label: en.nav.deadLetters, adminOnly: true },
  // The suppression list is read and changed with admin keys only, like the dead letters.
  { page: 'suppressions', href: href.suppressions, label: en.suppressions.nav, adminOnly: true },
  { page: 'api-keys', href: href.apiKeys, label: en.nav.apiKeys, adminOnly: true },
  { page: 'audit-log', href: href.auditLog, label: en.nav.auditLog, adminOnly: true },
];

function Shell({ session, onSignOut }: { session: Session; onSignOut: () => void }) {
  const route = useRoute();
  const main = useRef<HTMLElement>(null);
  // A new page moves the focus to its content, as a page load would, for keyboard and screen-reader users (a
  // template or topic opened from its list is a new page too); before the page is painted, so that nothing typed
  // on it meanwhile goes to the link that was followed.
  const where = JSON.stringify(route);
  useLayoutEffect(() => main.current?.focus(), [where]);
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
      // A new set of filters from a link (#/feed?fanoutId=…) starts the page afresh with them.
      return <FeedPage key={JSON.stringify(route.filters ?? {})} session={session} initial={route.filters} />;
    case 'notification':
      return <TimelinePage session={session} id={route.id} />;
    case 'failed':
      return <FailedPage session={session} />;
    case 'templates':
      return <TemplatesPage session={session} templateKey={route.key} />;
    case 'topics':
      return <TopicsPage session={session} topicKey={route.key} />;
    case 'workflows':
      return <WorkflowsPage session={session} workflowKey={route.key} version={route.version} />;
    case 'recipients':
      return <RecipientPage session={session} userId={route.userId} />;
    case 'dead-letters':
      return session.canAct ? <DeadLettersPage session={session} /> : <p>{en.deadLetters.adminOnly}</p>;
    case 'api-keys':
      return session.canAct ? <ApiKeysPage session={session} /> : <p>{en.apiKeys.adminOnly}</p>;
    case 'audit-log':
      return session.canAct ? <AuditLogPage session={session} /> : <p>{en.auditLog.adminOnly}</p>;
    case 'providers':
      return <ProvidersPage session={session} />;
    case 'engagement':
      return <EngagementPage session={session} />;
    case 'suppressions':
      return session.canAct ? <SuppressionsPage session={session} /> : <p>{en.suppressions.adminOnly}</p>;
  }
}
