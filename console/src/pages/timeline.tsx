import { useEffect, useState } from 'preact/hooks';
import type { Notification, NotificationContent } from '../../../packages/sdk/src/index';
import { href } from '../route';
import { messageOf, type Session } from '../session';
import { en } from '../strings';
import { ErrorNote, RecipientOf, Status, when } from './common';
import { ChannelContent } from './rendered-content';

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
            <dd>
              <RecipientOf recipient={n.recipient} />
            </dd>
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
            <WorkflowOf metadata={n.metadata} />
          </dl>
          <SentContent session={session} id={id} version={`${n.status}:${n.attemptCount}`} />
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

/** The content as sent; asked again when the notification moves on (`version`), not on every refresh. */
function SentContent({ session, id, version }: { session: Session; id: string; version: string }) {
  const [sent, setSent] = useState<NotificationContent | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let stop = false;
    session.sdk.notifications.content(id).then(
      (found) => !stop && (setSent(found), setError(null)),
      (err: unknown) => !stop && setError(messageOf(err)),
    );
    return () => void (stop = true);
  }, [session, id, version]);

  return (
    <>
      <h2>{t.content}</h2>
      <ErrorNote error={error} />
      {sent && (
        <>
          <p>{sent.template ? t.fromTemplate(sent.template.key, sent.template.version, sent.template.locale) : t.inline}</p>
          {sent.content ? (
            Object.entries(sent.content).map(([channel, content]) => <ChannelContent key={channel} channel={channel} content={content} frameTitle={t.emailFrame} />)
          ) : (
            <p>{t.notSentYet}</p>
          )}
        </>
      )}
    </>
  );
}

/** For a notification a workflow's send step made: the workflow, its run and step, and the run's other notifications. */
function WorkflowOf({ metadata }: { metadata: Record<string, unknown> | null | undefined }) {
  const { workflow, workflowRun, workflowStep } = metadata ?? {};
  if (typeof workflow !== 'string' || typeof workflowRun !== 'string') return null;
  return (
    <>
      <dt>{t.workflow}</dt>
      <dd>
        <a href={href.workflows(workflow)}>{workflow}</a> {t.workflowRun(workflowRun, typeof workflowStep === 'string' ? workflowStep : null)}{' '}
        <a href={href.feedWith({ metadata: `workflowRun=${workflowRun}`, status: '' })}>{t.runNotifications}</a>
      </dd>
    </>
  );
}
