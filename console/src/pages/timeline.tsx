import { useEffect, useState } from 'preact/hooks';
import type { Notification } from '../../../packages/sdk/src/index';
import { href } from '../route';
import { messageOf, type Session } from '../session';
import { en } from '../strings';
import { ErrorNote, recipientOf, Status, when } from './common';

const t = en.timeline;

export function TimelinePage({ session, id }: { session: Session; id: string }) {
  const [n, setN] = useState<Notification | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let stop = false;
    const load = () =>
      session.sdk.notifications.get(id).then(
        (found) => !stop && (setN(found), setError(null)),
        (err: unknown) => !stop && setError(messageOf(err)),
      );
    void load();
    const timer = setInterval(() => void load(), 5000);
    return () => ((stop = true), clearInterval(timer));
  }, [session, id]);

  return (
    <section aria-labelledby="timeline-title">
      <p>
        <a href={href.feed}>{t.back}</a>
      </p>
      <h1 id="timeline-title">
        {t.title} <span class="mono">{id}</span>
      </h1>
      <ErrorNote error={error} />
      {n && (
        <>
          <h2>{t.summary}</h2>
          <dl class="facts">
            <dt>{en.columns.status}</dt>
            <dd>
              <Status status={n.status} /> {n.statusReason ?? ''}
            </dd>
            <dt>{en.columns.channel}</dt>
            <dd>{n.channel}</dd>
            <dt>{t.recipient}</dt>
            <dd>{recipientOf(n.recipient)}</dd>
            <dt>{t.category}</dt>
            <dd>{n.category ?? t.none}</dd>
            <dt>{t.provider}</dt>
            <dd>{n.provider ?? t.none}</dd>
            <dt>{t.created}</dt>
            <dd>{when(n.createdAt)}</dd>
            <dt>{t.sent}</dt>
            <dd>{when(n.sentAt)}</dd>
            <dt>{t.next}</dt>
            <dd>{when(n.nextAttemptAt)}</dd>
          </dl>
          <h2>{t.history}</h2>
          <ol class="history">
            {n.history.map((h, i) => (
              <li key={i}>
                <time dateTime={h.at}>{when(h.at)}</time> {h.from ? <Status status={h.from} /> : null} → <Status status={h.to} /> {h.reason ?? ''}
              </li>
            ))}
          </ol>
          <h2>{t.attempts}</h2>
          {n.attempts.length === 0 && <p>{t.noAttempts}</p>}
          {n.attempts.map((a) => (
            <article class="attempt" key={a.attemptNumber} aria-label={t.attempt(a.attemptNumber)}>
              <h3>{t.attempt(a.attemptNumber)}</h3>
              <dl class="facts">
                <dt>{t.provider}</dt>
                <dd>{a.provider}</dd>
                <dt>{t.outcome}</dt>
                <dd>
                  <Status status={a.outcome} />
                </dd>
                <dt>{t.error}</dt>
                <dd>{a.errorCode ? `${a.errorCode}: ${a.errorMessage ?? ''}` : t.none}</dd>
                <dt>{t.duration}</dt>
                <dd>{a.durationMs == null ? t.none : t.durationMs(a.durationMs)}</dd>
              </dl>
              {a.destinations && a.destinations.length > 0 && (
                <>
                  <h4>{t.destinations}</h4>
                  <ul>
                    {a.destinations.map((d) => (
                      <li key={d.destination}>
                        <span class="mono">{d.destination}</span> <Status status={d.outcome} /> {d.errorCode ?? ''}
                      </li>
                    ))}
                  </ul>
                </>
              )}
            </article>
          ))}
        </>
      )}
    </section>
  );
}
