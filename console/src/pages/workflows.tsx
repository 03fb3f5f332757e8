import { useCallback, useEffect, useState } from 'preact/hooks';
import type { Workflow, WorkflowList, WorkflowRun, WorkflowRunList } from '../../../packages/sdk/src/index';
import { href } from '../route';
import { messageOf, type Session } from '../session';
import { en } from '../strings';
import { ErrorNote, RecipientOf, Status, useLoaded, when } from './common';
import { Paging, usePaging } from './paging';

const t = en.workflows;
type WorkflowStep = Workflow['steps'][number];
type WorkflowRunStep = WorkflowRun['steps'][number];
const WORKFLOWS_PER_PAGE = 50;
const RUNS_PER_PAGE = 20;

/** #/workflows lists them; #/workflows/<key> opens one (its latest version, or ?version=<n>). */
export function WorkflowsPage({ session, workflowKey, version }: { session: Session; workflowKey?: string; version?: number }) {
  return workflowKey ? <WorkflowDetail key={`${workflowKey}@${version ?? ''}`} session={session} workflowKey={workflowKey} version={version} /> : <WorkflowIndex session={session} />;
}

function WorkflowIndex({ session }: { session: Session }) {
  const paging = usePaging();
  const { cursor } = paging;
  const load = useCallback(() => session.sdk.workflows.list({ limit: WORKFLOWS_PER_PAGE, ...(cursor ? { cursor } : {}) }), [session, cursor]);
  const { value: page, error } = useLoaded<WorkflowList>(load);
  return (
    <section aria-labelledby="workflows-title">
      <h1 id="workflows-title">{t.title}</h1>
      <ErrorNote error={error} />
      {page && page.items.length === 0 && <p>{t.empty}</p>}
      {page && page.items.length > 0 && (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t.columns.key}</th>
                <th scope="col">{t.columns.name}</th>
                <th scope="col">{t.columns.version}</th>
                <th scope="col">{t.columns.steps}</th>
                <th scope="col">{t.columns.updated}</th>
              </tr>
            </thead>
            <tbody>
              {page.items.map((w) => (
                <tr key={w.key}>
                  <td>
                    <a class="mono key" href={href.workflows(w.key)}>
                      {w.key}
                    </a>
                  </td>
                  <td>{w.name || en.timeline.none}</td>
                  <td>{w.latestVersion}</td>
                  <td>{w.stepCount}</td>
                  <td>{when(w.updatedAt as unknown as string)}</td>
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

function WorkflowDetail({ session, workflowKey, version }: { session: Session; workflowKey: string; version?: number }) {
  const load = useCallback(() => session.sdk.workflows.get(workflowKey, version ? { version } : {}), [session, workflowKey, version]);
  const { value: workflow, error } = useLoaded<Workflow>(load);
  // The latest version number, for the list of versions: the page may show an older one.
  const loadLatest = useCallback(() => (version ? session.sdk.workflows.get(workflowKey) : Promise.resolve(null)), [session, workflowKey, version]);
  const { value: latest } = useLoaded<Workflow | null>(loadLatest);
  const latestVersion = latest?.version ?? (version ? null : workflow?.version) ?? null;
  return (
    <section aria-labelledby="workflow-title">
      <p>
        <a href={href.workflows()}>{t.all}</a>
      </p>
      <h1 id="workflow-title">{t.heading(workflowKey)}</h1>
      <ErrorNote error={error} />
      {workflow && (
        <>
          <dl class="facts">
            <dt>{t.name}</dt>
            <dd>{workflow.name || en.timeline.none}</dd>
            <dt>{t.category}</dt>
            <dd>{workflow.category || en.timeline.none}</dd>
            <dt>{t.version}</dt>
            <dd>{workflow.version}</dd>
            <dt>{t.stored}</dt>
            <dd>{when(workflow.createdAt as unknown as string)}</dd>
          </dl>
          {latestVersion !== null && latestVersion > 1 && (
            <nav aria-label={t.versions}>
              <ul class="versions">
                {Array.from({ length: latestVersion }, (_, i) => latestVersion - i).map((v) => (
                  <li key={v}>
                    <a href={href.workflows(workflowKey, v === latestVersion ? undefined : v)} aria-current={v === workflow.version ? 'page' : undefined}>
                      {t.versionLabel(v, v === latestVersion)}
                    </a>
                  </li>
                ))}
              </ul>
            </nav>
          )}
          <h2 id="steps-title">{t.steps(workflow.version)}</h2>
          <ol class="workflow-steps" aria-labelledby="steps-title">
            {workflow.steps.map((step) => (
              <li key={step.id}>
                <span class="mono">{step.id}</span> <span class="step-type">{step.type}</span>: {describeStep(step)}
              </li>
            ))}
          </ol>
          <Runs session={session} workflowKey={workflowKey} />
        </>
      )}
    </section>
  );
}

/** A step in words: what it sends, how long it waits, where it goes. */
export function describeStep(step: WorkflowStep): string {
  switch (step.type) {
    case 'send':
      return t.describe.send(step.channel ?? '', typeof step.template?.key === 'string' ? step.template.key : null);
    case 'delay':
      return step.duration ? t.describe.delay(step.duration) : t.describe.delayUntil(step.until ?? '');
    case 'digest':
      return t.describe.digest(step.window ?? '', step.key ?? null, step.sendFirstImmediately === true);
    case 'branch':
      return t.describe.branch(conditionText(step.if ?? {}), step.then ?? '', step.else ?? null);
    case 'throttle':
      return t.describe.throttle(step.limit ?? 0, step.window ?? '', step.key ?? null);
    default:
      return step.type;
  }
}

function conditionText(c: Record<string, unknown>): string {
  if (typeof c.step === 'string') return t.describe.outcome(c.step, String(c.is), typeof c.within === 'string' ? c.within : null);
  const subject = typeof c.payload === 'string' ? `payload.${c.payload}` : `recipient.${String(c.recipient)}`;
  if (c.exists !== undefined) return `${subject} ${c.exists ? t.describe.exists : t.describe.missing}`;
  if (c.in !== undefined) return `${subject} ${t.describe.in} ${JSON.stringify(c.in)}`;
  if (c.notEquals !== undefined) return `${subject} ≠ ${JSON.stringify(c.notEquals)}`;
  return `${subject} = ${JSON.stringify(c.equals)}`;
}

function Runs({ session, workflowKey }: { session: Session; workflowKey: string }) {
  const paging = usePaging();
  const { cursor } = paging;
  const load = useCallback(() => session.sdk.workflows.runs({ workflow: workflowKey, limit: RUNS_PER_PAGE, ...(cursor ? { cursor } : {}) }), [session, workflowKey, cursor]);
  const { value: page, error } = useLoaded<WorkflowRunList>(load);
  return (
    <section aria-labelledby="runs-title">
      <h2 id="runs-title">{t.runs}</h2>
      <ErrorNote error={error} />
      {page && page.items.length === 0 && <p>{t.noRuns}</p>}
      {page?.items.map((run) => <RunView key={run.id} run={run} />)}
      <Paging paging={paging} nextCursor={page?.nextCursor} labels={{ first: t.newestRuns, next: t.olderRuns }} />
    </section>
  );
}

function RunView({ run }: { run: WorkflowRun }) {
  return (
    <article class="workflow-run" aria-labelledby={`run-${run.id}`}>
      <h3 id={`run-${run.id}`}>
        <span class="mono">{run.id}</span> <Status status={run.status} />
      </h3>
      <dl class="facts">
        <dt>{t.recipient}</dt>
        <dd>
          <RecipientOf recipient={run.recipient as Record<string, unknown>} />
        </dd>
        <dt>{t.version}</dt>
        <dd>{run.version}</dd>
        <dt>{t.started}</dt>
        <dd>{when(run.createdAt as unknown as string)}</dd>
        <dt>{run.finishedAt ? t.finished : t.due}</dt>
        <dd>{when((run.finishedAt ?? run.dueAt) as unknown as string | null)}</dd>
        {run.error && (
          <>
            <dt>{t.error}</dt>
            <dd>{run.error}</dd>
          </>
        )}
      </dl>
      <div class="table-wrap">
        <table>
          <caption>{t.stepsOfRun(run.id)}</caption>
          <thead>
            <tr>
              <th scope="col">{t.runColumns.step}</th>
              <th scope="col">{t.runColumns.state}</th>
              <th scope="col">{t.runColumns.started}</th>
              <th scope="col">{t.runColumns.finished}</th>
              <th scope="col">{t.runColumns.produced}</th>
            </tr>
          </thead>
          <tbody>
            {run.steps.map((s) => (
              <tr key={s.id}>
                <td>
                  <span class="mono">{s.id}</span> ({s.type})
                </td>
                <td>
                  <Status status={s.state} />
                </td>
                <td>{when(s.startedAt)}</td>
                <td>{when(s.finishedAt)}</td>
                <td>
                  <Produced step={s} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </article>
  );
}

interface Product {
  notifications?: Array<{ id: string; channel: string; status: string }>;
  refused?: { code: string; message: string };
  digestCount?: number;
  mergedInto?: string;
  branch?: string;
  next?: string;
  throttleCount?: number;
}

/** What a step produced: links to its notifications, the digest it joined, the branch it took. */
function Produced({ step }: { step: WorkflowRunStep }) {
  const p = (step.produced ?? {}) as Product;
  const parts: preact.ComponentChild[] = [];
  for (const n of p.notifications ?? []) {
    parts.push(
      <a key={n.id} href={href.notification(n.id)} class="mono" aria-label={t.produced.notificationLabel(n.channel, n.id)}>
        {t.produced.notification(n.channel)}
      </a>,
    );
  }
  if (p.refused) parts.push(t.produced.refused(p.refused.code));
  if (p.digestCount !== undefined) parts.push(t.produced.digest(p.digestCount));
  if (p.mergedInto) parts.push(t.produced.merged(p.mergedInto));
  if (p.branch) parts.push(t.produced.branch(p.branch, p.next ?? ''));
  if (p.throttleCount !== undefined) parts.push(t.produced.throttle(p.throttleCount));
  if (parts.length === 0) return <>{en.timeline.none}</>;
  return (
    <ul class="produced">
      {parts.map((part, i) => (
        <li key={i}>{part}</li>
      ))}
    </ul>
  );
}
