import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { Injectable, Logger } from '@nestjs/common';
import type { NotificationContent, NotificationRequest, Recipient } from '../../../domain/notification/notification-request';
import { RecipientDirectory } from '../../../domain/ports/recipient-directory.port';
import { WorkflowRuns, type DigestJoin, type DigestJoinOutcome, type HeldRun, type NotificationOutcomeState, type RunTransition } from '../../../domain/ports/workflow-runs.port';
import { WorkflowStore } from '../../../domain/ports/workflow-store.port';
import { evaluateValueCondition, isOutcomeCondition, outcomesReached } from '../../../domain/workflows/conditions';
import { parseWorkflowDuration } from '../../../domain/workflows/duration';
import { fillDeep, fillPlaceholders, placeholderPath, valueAt } from '../../../domain/workflows/placeholders';
import {
  targetIndex,
  type BranchStep,
  type DelayStep,
  type DigestStep,
  type SendStep,
  type ThrottleStep,
  type WorkflowDefinition,
} from '../../../domain/workflows/workflow-definition';
import { recipientKeyOf, type DigestContext, type StepProduct, type StepRecord, type WorkflowRun } from '../../../domain/workflows/workflow-run';
import { HeraldConfig } from '../../../infrastructure/config/herald-config';
import { AcceptNotifications, type AcceptOutcome } from '../../ingestion/application/accept-notifications.use-case';

/** The intake source of every notification a workflow sends; the idempotency key is `<run id>:<step id>`. */
export const WORKFLOW_SOURCE = 'workflow';
/** Digest joins and throttles of one round done side by side (each is a transaction of its own). */
const CONCURRENCY = 8;

/** Where a run stands between two committed transitions. */
interface Position {
  stepIndex: number;
  steps: StepRecord[];
  digest: DigestContext | null;
}

/** A claimed run on its way through a pass. */
interface Advancing {
  run: WorkflowRun;
  definition: WorkflowDefinition;
  held: HeldRun;
  at: Position;
}

/** A transition computed for a run, not written yet. */
interface Pending {
  a: Advancing;
  transition: RunTransition;
}

function withStep(steps: StepRecord[], i: number, patch: Partial<StepRecord>): StepRecord[] {
  return steps.map((s, k) => (k === i ? { ...s, ...patch } : s));
}

/** Steps from `from` up to (not including) `to` that never ran. */
function skipBetween(steps: StepRecord[], from: number, to: number): StepRecord[] {
  return steps.map((s, k) => (k >= from && k < to && s.state === 'pending' ? { ...s, state: 'skipped' } : s));
}

/**
 * The workflow engine's pass: claims due runs (FOR UPDATE SKIP LOCKED, under a lease) and advances each one step at
 * a time until it must wait (a delay, a digest window, an outcome not reached yet) or ends. The pass goes in rounds:
 * each round takes one step of every run still going, and does the steps of a kind together: one intake call for
 * every send, one transaction for every digest window to close, one statement for the other transitions. Every
 * transition is still a conditional write on (run, revision, lease owner): a run cancelled or claimed by another
 * engine meanwhile is left alone. A send step goes through the intake with an idempotency key derived from the run
 * and the step, so a step executed again after a crash (before its transition was written) replays and gets the
 * same notifications.
 */
@Injectable()
export class AdvanceWorkflowRuns {
  private readonly logger = new Logger('Workflows');
  /** Names this process in leases. */
  readonly owner = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  /** Versions never change once stored. */
  private readonly definitions = new Map<string, WorkflowDefinition>();

  constructor(
    private readonly runs: WorkflowRuns,
    private readonly workflows: WorkflowStore,
    private readonly accept: AcceptNotifications,
    private readonly directory: RecipientDirectory,
    private readonly config: HeraldConfig,
  ) {}

  /** One pass; resolves to how many runs it claimed. */
  async execute(): Promise<{ claimed: number }> {
    const claimed = await this.runs.claimDue(this.owner, this.config.workflows.batchSize, this.config.workflows.leaseMs);
    let active: Advancing[] = [];
    for (const run of claimed) {
      try {
        active.push({ run, definition: await this.definitionOf(run), held: { id: run.id, revision: run.revision, owner: this.owner }, at: { stepIndex: run.stepIndex, steps: run.steps, digest: run.digest } });
      } catch (err) {
        this.failed({ run, at: { stepIndex: run.stepIndex } }, err);
      }
    }
    // Each step either moves forward (branches only jump forward) or stops the run: the rounds end.
    while (active.length > 0) active = await this.round(active);
    return { claimed: claimed.length };
  }

  private async definitionOf(run: WorkflowRun): Promise<WorkflowDefinition> {
    const id = `${run.workflowKey}@${run.workflowVersion}`;
    let definition = this.definitions.get(id);
    if (!definition) {
      const found = await this.workflows.find(run.workflowKey, run.workflowVersion);
      if (!found) throw new Error(`workflow ${id} is not stored`);
      definition = found.definition;
      this.definitions.set(id, definition);
    }
    return definition;
  }

  /** One step of every run in `active`, written; resolves to the runs that go on at once. */
  private async round(active: Advancing[]): Promise<Advancing[]> {
    const sends: Array<{ a: Advancing; step: SendStep }> = [];
    const closes: Advancing[] = [];
    const joins: Advancing[] = [];
    const alone: Advancing[] = [];
    const computed: Advancing[] = [];
    for (const entry of active) {
      const { definition, at } = entry;
      if (at.stepIndex >= definition.steps.length) {
        computed.push(entry);
        continue;
      }
      const step = definition.steps[at.stepIndex];
      const started = at.steps[at.stepIndex].startedAt ?? new Date().toISOString();
      const a: Advancing = { ...entry, at: { ...at, steps: withStep(at.steps, at.stepIndex, { startedAt: started }) } };
      if (step.type === 'send') sends.push({ a, step });
      else if (step.type === 'digest' && at.steps[at.stepIndex].state === 'waiting') closes.push(a);
      else if (step.type === 'digest') joins.push(a);
      else if (step.type === 'throttle') alone.push(a);
      else computed.push(a);
    }
    const written = (await Promise.all([this.computedSteps(computed), this.sendSteps(sends), this.closeDigests(closes), this.joinDigests(joins), this.aloneSteps(alone)])).flat();
    return written
      .filter(({ transition }) => transition.status === 'running')
      .map(({ a, transition }) => ({ ...a, held: { ...a.held, revision: a.held.revision + 1 }, at: transition }));
  }

  private failed(a: { run: WorkflowRun; at: { stepIndex: number } }, err: unknown): void {
    // The lease runs out and the run is claimed again from its last committed step.
    this.logger.error(`workflow run ${a.run.id} failed at step ${a.run.steps[a.at.stepIndex]?.id ?? a.at.stepIndex}: ${(err as Error).message}`);
  }

  /** Writes the transitions in one statement; resolves to those written. */
  private async commitAll(pending: Pending[]): Promise<Pending[]> {
    if (pending.length === 0) return [];
    try {
      const written = await this.runs.commitMany(pending.map((p) => ({ held: p.a.held, transition: p.transition })));
      return pending.filter((p) => written.has(p.a.held.id));
    } catch (err) {
      for (const p of pending) this.failed(p.a, err);
      return [];
    }
  }

  /** The steps that need nothing but a read, if that: the end of a run, delays, branches. */
  private async computedSteps(entries: Advancing[]): Promise<Pending[]> {
    if (entries.length === 0) return [];
    const outcomes = await this.outcomesOf(entries);
    const pending: Pending[] = [];
    await inLanes(entries, async (a) => {
      try {
        const { run, definition, at } = a;
        const step = definition.steps[at.stepIndex];
        let transition: RunTransition;
        if (!step) transition = this.finish(at, 'completed');
        else if (step.type === 'delay') transition = this.delay(run, at, step);
        else transition = await this.branch(run, definition, at, step as BranchStep, outcomes);
        pending.push({ a, transition });
      } catch (err) {
        this.failed(a, err);
      }
    });
    return this.commitAll(pending);
  }

  /** What became of the notifications every outcome condition among these branches looks at, read at once. */
  private async outcomesOf(entries: Advancing[]): Promise<Map<string, NotificationOutcomeState>> {
    const ids: string[] = [];
    for (const { definition, at } of entries) {
      const step = definition.steps[at.stepIndex];
      if (step?.type !== 'branch' || !isOutcomeCondition(step.if)) continue;
      const sendIndex = definition.steps.findIndex((s) => s.id === (step.if as { step: string }).step);
      for (const n of at.steps[sendIndex]?.produced?.notifications ?? []) ids.push(n.id);
    }
    const states = ids.length ? await this.runs.notificationOutcomes([...new Set(ids)]) : [];
    return new Map(states.map((n) => [n.id, n]));
  }

  /** Throttles (and digest joins that failed together): a transaction each, with the counter's or the window's lock. */
  private async aloneSteps(entries: Advancing[]): Promise<Pending[]> {
    const written: Pending[] = [];
    await inLanes(entries, async (a) => {
      try {
        const step = a.definition.steps[a.at.stepIndex];
        const transition = step.type === 'digest' ? await this.digest(a.run, a.definition, a.held, a.at, step) : await this.throttle(a.run, a.definition, a.held, a.at, step as ThrottleStep);
        if (transition) written.push({ a, transition });
      } catch (err) {
        this.failed(a, err);
      }
    });
    return written;
  }

  /** The current step done with what it produced, and the run at `nextIndex` (steps jumped over are skipped). */
  private done(at: Position, produced: StepProduct | null, nextIndex = at.stepIndex + 1, digest = at.digest): RunTransition {
    let steps = withStep(at.steps, at.stepIndex, { state: 'done', finishedAt: new Date().toISOString(), produced });
    steps = skipBetween(steps, at.stepIndex + 1, nextIndex);
    if (nextIndex >= steps.length) return this.finish({ stepIndex: nextIndex, steps, digest }, 'completed');
    return { status: 'running', stepIndex: nextIndex, steps, digest, dueAt: new Date() };
  }

  private finish(at: Position, status: 'completed' | 'throttled' | 'failed', error?: string): RunTransition {
    return { status, stepIndex: at.steps.length, steps: skipBetween(at.steps, 0, at.steps.length), digest: at.digest, dueAt: null, error: error ?? null };
  }

  private wait(at: Position, until: Date, produced: StepProduct | null = at.steps[at.stepIndex].produced): RunTransition {
    return { status: 'waiting', stepIndex: at.stepIndex, steps: withStep(at.steps, at.stepIndex, { state: 'waiting', produced }), digest: at.digest, dueAt: until };
  }

  private context(run: WorkflowRun, at: Position): Record<string, unknown> {
    return { payload: run.payload, recipient: run.recipient, ...(at.digest ? { digest: { events: at.digest.events, count: at.digest.count } } : {}) };
  }

  /**
   * Every send step of the round in one intake call (one transaction for the notifications; each item keeps its own
   * idempotency key, so a pass retried after a crash creates nothing twice, and an item refused leaves the others
   * stored), then their transitions in one statement, then the digest windows they sent closed.
   */
  private async sendSteps(sends: Array<{ a: Advancing; step: SendStep }>): Promise<Pending[]> {
    if (sends.length === 0) return [];
    const items: Array<{ idempotencyKey: string; request: NotificationRequest }> = [];
    const asked: Array<{ a: Advancing; step: SendStep }> = [];
    for (const s of sends) {
      try {
        items.push({ idempotencyKey: `${s.a.run.id}:${s.step.id}`, request: this.requestOf(s.a, s.step) });
        asked.push(s);
      } catch (err) {
        this.failed(s.a, err);
      }
    }
    let outcomes: AcceptOutcome[];
    try {
      outcomes = await this.accept.execute({ source: WORKFLOW_SOURCE, items, allOrNothing: false });
    } catch (err) {
      for (const s of asked) this.failed(s.a, err);
      return [];
    }
    const written = await this.commitAll(asked.map(({ a, step }, i) => ({ a, transition: this.sent(a.at, step, outcomes[i]) })));
    const windows = written.flatMap((p) => (p.a.at.digest ? [p.a.at.digest.windowId] : []));
    try {
      await this.runs.markDigestsSent(windows);
    } catch (err) {
      // The runs have moved on; their windows stay `closing`, which joins treat as closed.
      this.logger.error(`digest windows ${windows.join(', ')} not marked closed: ${(err as Error).message}`);
    }
    return written;
  }

  private requestOf({ run, definition, at }: Advancing, step: SendStep): NotificationRequest {
    const context = this.context(run, at);
    return {
      recipient: run.recipient,
      channels: [step.channel],
      content: (step.content ? { [step.channel]: fillDeep(step.content, context) } : undefined) as NotificationContent,
      ...(step.template
        ? { template: { key: step.template.key, data: { ...run.payload, ...(fillDeep(step.template.data ?? {}, context) as object), ...(context.digest ? { digest: context.digest } : {}) } } }
        : {}),
      ...(definition.category ? { category: definition.category } : {}),
      metadata: { workflow: run.workflowKey, workflowRun: run.id, workflowStep: step.id },
    };
  }

  /** The transition a send step's intake outcome calls for. */
  private sent(at: Position, step: SendStep, outcome: AcceptOutcome): RunTransition {
    switch (outcome.kind) {
      case 'created':
      case 'replayed':
        return this.done(at, { notifications: outcome.notifications.map((n) => ({ id: n.id, channel: n.channel, status: n.status })) });
      case 'invalid':
        // The recipient has no channel left (preferences, no address) or the content breaks a rule: the run goes on.
        return this.done(at, { notifications: [], refused: { code: outcome.error.code, message: outcome.error.message } });
      case 'template_missing':
        return this.finish({ ...at, steps: withStep(at.steps, at.stepIndex, { state: 'done', finishedAt: new Date().toISOString(), produced: { refused: { code: outcome.error.code, message: outcome.error.message } } }) }, 'failed', outcome.error.message);
      case 'key_reused':
      case 'withheld':
        return this.finish(at, 'failed', `the intake answered ${outcome.kind} for step ${step.id}`);
    }
  }

  private delay(run: WorkflowRun, at: Position, step: DelayStep): RunTransition {
    if (at.steps[at.stepIndex].state === 'waiting') return this.done(at, null);
    const now = Date.now();
    let due = now;
    if (step.duration) due = now + parseWorkflowDuration(step.duration)!;
    else {
      // A time missing from the payload, or one that is not a time, is not a reason to hold the run: it goes on.
      const value = valueAt({ payload: run.payload }, placeholderPath(step.until!) ?? '');
      const at = typeof value === 'string' || typeof value === 'number' ? new Date(value).getTime() : NaN;
      if (Number.isFinite(at)) due = at;
    }
    return due > now ? this.wait(at, new Date(due)) : this.done(at, null);
  }

  /**
   * The digest windows the runs own and that are due, closed in one transaction with the runs' transitions; should
   * that transaction fail, each run is tried alone.
   */
  private async closeDigests(entries: Advancing[]): Promise<Pending[]> {
    if (entries.length === 0) return [];
    const byId = new Map(entries.map((a) => [a.run.id, a]));
    const pending: Pending[] = [];
    try {
      await this.runs.closeDigests(
        entries.map((a) => ({ held: a.held, windowId: a.at.steps[a.at.stepIndex].produced!.digestWindow! })),
        (runId, digest) => {
          const a = byId.get(runId)!;
          const transition = this.done(a.at, { digestWindow: digest.windowId, digestCount: digest.count }, a.at.stepIndex + 1, digest);
          pending.push({ a, transition });
          return transition;
        },
      );
    } catch (err) {
      if (entries.length === 1) {
        this.failed(entries[0], err);
        return [];
      }
      this.logger.warn(`digest closes of ${entries.length} runs failed together (${(err as Error).message}); each is tried alone`);
      const alone: Pending[] = [];
      await inLanes(entries, async (a) => void alone.push(...(await this.closeDigests([a]))));
      return alone;
    }
    return pending;
  }

  /**
   * Digest steps reached: every event joins the open window of its key, or opens one, in one transaction. Should that
   * transaction fail (two engines' passes locking windows that a deadlock check refused), each run is tried alone.
   */
  private async joinDigests(entries: Advancing[]): Promise<Pending[]> {
    if (entries.length === 0) return [];
    const byId = new Map(entries.map((a) => [a.run.id, a]));
    const pending: Pending[] = [];
    try {
      await this.runs.joinDigests(
        entries.map((a) => ({ held: a.held, join: this.digestJoinOf(a.run, a.definition, a.at, a.definition.steps[a.at.stepIndex] as DigestStep) })),
        (runId, outcome) => {
          const a = byId.get(runId)!;
          const transition = this.joined(a.run, a.at, outcome);
          pending.push({ a, transition });
          return transition;
        },
      );
    } catch (err) {
      this.logger.warn(`digest joins of ${entries.length} runs failed together (${(err as Error).message}); each is tried alone`);
      return this.aloneSteps(entries);
    }
    return pending;
  }

  /** A digest step reached by one run: the event joins the open window of its key, or opens one. */
  private async digest(run: WorkflowRun, definition: WorkflowDefinition, held: HeldRun, at: Position, step: DigestStep): Promise<RunTransition | null> {
    let transition: RunTransition | null = null;
    const outcome = await this.runs.joinDigest(held, this.digestJoinOf(run, definition, at, step), (o) => (transition = this.joined(run, at, o)));
    return outcome ? transition : null;
  }

  private digestJoinOf(run: WorkflowRun, definition: WorkflowDefinition, at: Position, step: DigestStep): DigestJoin {
    return {
      workflowKey: definition.key,
      stepId: step.id,
      recipientKey: recipientKeyOf(run.recipient),
      digestKey: step.key ? fillPlaceholders(step.key, this.context(run, at)) : definition.key,
      windowMs: parseWorkflowDuration(step.window)!,
      sendFirstImmediately: step.sendFirstImmediately === true,
      payload: run.payload,
    };
  }

  /** The transition of a run whose event joined a digest window. */
  private joined(run: WorkflowRun, at: Position, o: DigestJoinOutcome): RunTransition {
    switch (o.kind) {
      case 'owner':
        return this.wait(at, o.closesAt, { digestWindow: o.windowId });
      case 'first':
        return this.done(at, { digestWindow: o.windowId, digestCount: 1 }, at.stepIndex + 1, { windowId: o.windowId, events: [run.payload], count: 1 });
      case 'joined':
        return this.finish({ ...at, steps: withStep(at.steps, at.stepIndex, { state: 'done', finishedAt: new Date().toISOString(), produced: { digestWindow: o.windowId, mergedInto: o.ownerRunId } }) }, 'completed');
    }
  }

  private async branch(run: WorkflowRun, definition: WorkflowDefinition, at: Position, step: BranchStep, outcomes: Map<string, NotificationOutcomeState>): Promise<RunTransition> {
    let result: boolean;
    const condition = step.if;
    if (isOutcomeCondition(condition)) {
      const sendIndex = definition.steps.findIndex((s) => s.id === condition.step);
      const produced = at.steps[sendIndex]?.produced;
      const ids = produced?.notifications?.map((n) => n.id) ?? [];
      const states = ids.flatMap((id) => outcomes.get(id) ?? []);
      result = (condition.is === 'failed' && produced?.refused !== undefined) || states.some((n) => outcomesReached(n).has(condition.is));
      if (!result && condition.within) {
        const deadline = Date.parse(at.steps[at.stepIndex].startedAt!) + parseWorkflowDuration(condition.within)!;
        const now = Date.now();
        if (now < deadline) return this.wait(at, new Date(Math.min(deadline, now + this.config.workflows.outcomeCheckIntervalMs)));
      }
    } else {
      const profile = run.recipient.userId ? await this.directory.get(run.recipient.userId) : null;
      const recipient: Record<string, unknown> = { ...(profile ?? {}), ...withoutEmpty(run.recipient) };
      result = evaluateValueCondition(condition, { payload: run.payload, recipient: { ...recipient, profile: recipient } });
    }
    const target = result ? step.then : step.else;
    const nextIndex = target === undefined ? at.stepIndex + 1 : targetIndex(definition, target);
    return this.done(at, { branch: result ? 'then' : 'else', next: definition.steps[nextIndex]?.id ?? 'end' }, nextIndex);
  }

  private async throttle(run: WorkflowRun, definition: WorkflowDefinition, held: HeldRun, at: Position, step: ThrottleStep): Promise<RunTransition | null> {
    const windowMs = parseWorkflowDuration(step.window)!;
    // Fixed windows, counted from the Unix epoch: "1d" is a UTC day.
    const windowStart = new Date(Math.floor(Date.now() / windowMs) * windowMs);
    let transition: RunTransition | null = null;
    const result = await this.runs.passThrottle(
      held,
      {
        workflowKey: definition.key,
        stepId: step.id,
        recipientKey: recipientKeyOf(run.recipient),
        throttleKey: step.key ? fillPlaceholders(step.key, this.context(run, at)) : '',
        windowStart,
        limit: step.limit,
      },
      (passed, count) => {
        transition = passed
          ? this.done(at, { throttleCount: count })
          : this.finish({ ...at, steps: withStep(at.steps, at.stepIndex, { state: 'done', finishedAt: new Date().toISOString(), produced: { throttleCount: count } }) }, 'throttled');
        return transition;
      },
    );
    return result ? transition : null;
  }
}

/** Runs `work` on every entry, CONCURRENCY at a time. */
async function inLanes<T>(entries: readonly T[], work: (entry: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < entries.length) await work(entries[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, entries.length) }, lane));
}

function withoutEmpty(r: Recipient): Record<string, unknown> {
  return Object.fromEntries(Object.entries(r).filter(([, v]) => v !== null && v !== undefined));
}
