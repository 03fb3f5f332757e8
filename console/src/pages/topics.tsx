import { useCallback, useEffect, useState } from 'preact/hooks';
import type { Fanout, FanoutList, SubscriberPage, Topic, TopicList } from '../../../packages/sdk/src/index';
import { href } from '../route';
import { messageOf, type Session } from '../session';
import { en } from '../strings';
import { ErrorNote, useLoaded, when } from './common';
import { Paging, usePaging } from './paging';

const t = en.topics;
const TOPICS_PER_PAGE = 50;
const SUBSCRIBERS_PER_PAGE = 50;
const FANOUTS_PER_PAGE = 10;
/** While a fan-out on the page runs, its progress is asked for again this often. */
const RUNNING_REFRESH_MS = 3000;

/** #/topics lists them; #/topics/<key> opens one. */
export function TopicsPage({ session, topicKey }: { session: Session; topicKey?: string }) {
  return topicKey ? <TopicDetail key={topicKey} session={session} topicKey={topicKey} /> : <TopicIndex session={session} />;
}

function TopicIndex({ session }: { session: Session }) {
  const paging = usePaging();
  const { cursor } = paging;
  const load = useCallback(() => session.sdk.topics.list({ limit: TOPICS_PER_PAGE, ...(cursor ? { cursor } : {}) }), [session, cursor]);
  const { value: page, error } = useLoaded<TopicList>(load);
  return (
    <section aria-labelledby="topics-title">
      <h1 id="topics-title">{t.title}</h1>
      <ErrorNote error={error} />
      {page && page.items.length === 0 && <p>{t.empty}</p>}
      {page && page.items.length > 0 && (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t.columns.key}</th>
                <th scope="col">{t.columns.name}</th>
                <th scope="col">{t.columns.subscribers}</th>
                <th scope="col">{t.columns.created}</th>
              </tr>
            </thead>
            <tbody>
              {page.items.map((topic) => (
                <tr key={topic.key}>
                  <td>
                    <a class="mono key" href={href.topics(topic.key)}>
                      {topic.key}
                    </a>
                  </td>
                  <td>{topic.name || en.timeline.none}</td>
                  <td>{topic.subscriberCount}</td>
                  <td>{when(topic.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Paging paging={paging} nextCursor={page?.nextCursor} labels={{ first: t.first, next: t.next }} />
    </section>
  );
}

function TopicDetail({ session, topicKey }: { session: Session; topicKey: string }) {
  const load = useCallback(() => session.sdk.topics.get(topicKey), [session, topicKey]);
  const { value: topic, error } = useLoaded<Topic>(load);
  return (
    <section aria-labelledby="topic-title">
      <p>
        <a href={href.topics()}>{t.all}</a>
      </p>
      <h1 id="topic-title">{t.heading(topicKey)}</h1>
      <ErrorNote error={error} />
      {topic && (
        <>
          <dl class="facts">
            <dt>{t.name}</dt>
            <dd>{topic.name || en.timeline.none}</dd>
            <dt>{t.subscriberCount}</dt>
            <dd>{topic.subscriberCount}</dd>
            <dt>{t.created}</dt>
            <dd>{when(topic.createdAt)}</dd>
          </dl>
          <Fanouts session={session} topicKey={topicKey} />
          <Subscribers session={session} topicKey={topicKey} />
        </>
      )}
    </section>
  );
}

function Fanouts({ session, topicKey }: { session: Session; topicKey: string }) {
  const paging = usePaging();
  const { cursor } = paging;
  const load = useCallback(() => session.sdk.topics.listFanouts(topicKey, { limit: FANOUTS_PER_PAGE, ...(cursor ? { cursor } : {}) }), [session, topicKey, cursor]);
  const { value: page, error, reload } = useLoaded<FanoutList>(load);
  const running = page?.items.some((f) => !f.done) ?? false;
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(reload, RUNNING_REFRESH_MS);
    return () => clearInterval(timer);
  }, [running, reload]);

  return (
    <section aria-labelledby="fanouts-title">
      <h2 id="fanouts-title">{t.fanouts}</h2>
      <ErrorNote error={error} />
      {running && <p class="live">{t.refreshing}</p>}
      {page && page.items.length === 0 && <p>{t.noFanouts}</p>}
      {page && page.items.length > 0 && (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t.fanoutColumns.started}</th>
                <th scope="col">{t.fanoutColumns.channels}</th>
                <th scope="col">{t.fanoutColumns.progress}</th>
                <th scope="col">{t.fanoutColumns.notifications}</th>
              </tr>
            </thead>
            <tbody>
              {page.items.map((f) => (
                <tr key={f.id}>
                  <td>{when(f.createdAt)}</td>
                  <td>{f.channels.join(', ')}</td>
                  <td>
                    <Progress fanout={f} />
                  </td>
                  <td>
                    {/* Every status: a finished fan-out's notifications are mostly sent, not queued. */}
                    <a href={href.feedWith({ fanoutId: f.id, status: '' })} aria-label={t.notificationsOfId(f.id)}>
                      {t.notificationsOf}
                    </a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Paging paging={paging} nextCursor={page?.nextCursor} labels={{ first: t.newestFanouts, next: t.olderFanouts }} />
    </section>
  );
}

/** A bar with its numbers in words beside it: the bar alone says nothing to a screen reader or without colour. */
function Progress({ fanout }: { fanout: Fanout }) {
  const text = `${t.progress(fanout.created, fanout.total)} · ${fanout.done ? t.done(when(fanout.finishedAt)) : t.running}`;
  // A fan-out to nobody is done at once: its bar is full.
  const max = Math.max(fanout.total, 1);
  const value = fanout.total === 0 ? (fanout.done ? 1 : 0) : fanout.created;
  return (
    <div class="progress">
      <progress max={max} value={value} aria-label={t.progressLabel(when(fanout.createdAt))} aria-valuetext={text} />
      <span class={fanout.done ? 'progress-text done' : 'progress-text'}>{text}</span>
    </div>
  );
}

function Subscribers({ session, topicKey }: { session: Session; topicKey: string }) {
  const paging = usePaging();
  const { cursor } = paging;
  const load = useCallback(() => session.sdk.topics.listSubscribers(topicKey, { limit: SUBSCRIBERS_PER_PAGE, ...(cursor ? { after: cursor } : {}) }), [session, topicKey, cursor]);
  const { value: page, error } = useLoaded<SubscriberPage>(load);
  return (
    <section aria-labelledby="subscribers-title">
      <h2 id="subscribers-title">{t.subscribers}</h2>
      <ErrorNote error={error} />
      {page && page.userIds.length === 0 && <p>{t.noSubscribers}</p>}
      {page && page.userIds.length > 0 && (
        <ul class="subscribers" aria-label={t.subscriberList}>
          {page.userIds.map((userId) => (
            <li key={userId} class="mono">
              {userId}
            </li>
          ))}
        </ul>
      )}
      <Paging paging={paging} nextCursor={page?.nextCursor} labels={{ first: t.firstSubscribers, next: t.moreSubscribers }} />
    </section>
  );
}
