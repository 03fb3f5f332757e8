import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { Injectable, Logger } from '@nestjs/common';
import type { NotificationContent, NotificationRequest, Recipient } from '../../../domain/notification/notification-request';
import { RecipientDirectory } from '../../../domain/ports/recipient-directory.port';
import { WorkflowRuns, type HeldRun, type RunTransition } from '../../../domain/ports/workflow-runs.port';
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
import { AcceptNotifications } from '../../ingestion/application/accept-notifications.use-case';

/** The intake source of every notification a workflow sends; the idempotency key is `<run id>:<step id>`. */
export const WORKFLOW_SOURCE = 'workflow';
/** Runs of one pass advanced side by side. */
const CONCURRENCY = 8;

/** Where a run stands between two committed transitions. */
interface Position {
  stepIndex: number;
  steps: StepRecord[];
  digest: DigestContext | null;
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
 * a time until it must wait (a delay, a digest window, an outcome not reached yet) or ends. Every transition is one
 * conditional write on (run, revision, lease owner): a run cancelled or claimed by another engine meanwhile is left
 * alone. A send step goes through the intake with an idempotency key derived from the run and the step, so a step
 * executed again after a crash (before its transition was written) replays and gets the same notifications.
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
    let next = 0;
    const lane = async () => {
      while (next < claimed.length) {
        const run = claimed[next++];
        try {
          await this.advance(run);
        } catch (err) {
          // The lease runs out and the run is claimed again from its last committed step.
          this.logger.error(`workflow run ${run.id} failed at step ${run.steps[run.stepIndex]?.id ?? run.stepIndex}: ${(err as Error).message}`);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, claimed.length) }, lane));
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

  private async advance(run: WorkflowRun): Promise<void> {
    const definition = await this.definitionOf(run);
    const held: HeldRun = { id: run.id, revision: run.revision, owner: this.owner };
    let at: Position = { stepIndex: run.stepIndex, steps: run.steps, digest: run.digest };
    // Each step either moves forward (branches only jump forward) or stops the run: the loop ends.
    for (;;) {
      const transition = at.stepIndex >= definition.steps.length ? this.finish(at, 'completed') : await this.step(run, definition, held, at);
      if (!transition) return;
      held.revision++;
      if (transition.status !== 'running') return;
      at = transition;
    }
  }

  /** Executes the step the run is at; resolves to the transition written, or null when the run was no longer held. */
  private async step(run: WorkflowRun, definition: WorkflowDefinition, held: HeldRun, at: Position): Promise<RunTransition | null> {
    const step = definition.steps[at.stepIndex];
    const started = at.steps[at.stepIndex].startedAt ?? new Date().toISOString();
    const steps = withStep(at.steps, at.stepIndex, { startedAt: started });
    const here = { ...at, steps };
    switch (step.type) {
      case 'send':
        return this.send(run, definition, held, here, step);
      case 'delay':
        return this.commit(held, this.delay(run, here, step));
      case 'digest':
        return this.digest(run, definition, held, here, step);
      case 'branch':
        return this.commit(held, await this.branch(run, definition, here, step));
      case 'throttle':
        return this.throttle(run, definition, held, here, step);
    }
  }

  private async commit(held: HeldRun, transition: RunTransition): Promise<RunTransition | null> {
    return (await this.runs.commit(held, transition)) ? transition : null;
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

  private async send(run: WorkflowRun, definition: WorkflowDefinition, held: HeldRun, at: Position, step: SendStep): Promise<RunTransition | null> {
    const context = this.context(run, at);
    const request: NotificationRequest = {
      recipient: run.recipient,
      channels: [step.channel],
      content: (step.content ? { [step.channel]: fillDeep(step.content, context) } : undefined) as NotificationContent,
      ...(step.template
        ? { template: { key: step.template.key, data: { ...run.payload, ...(fillDeep(step.template.data ?? {}, context) as object), ...(context.digest ? { digest: context.digest } : {}) } } }
        : {}),
      ...(definition.category ? { category: definition.category } : {}),
      metadata: { workflow: run.workflowKey, workflowRun: run.id, workflowStep: step.id },
    };
    const [outcome] = await this.accept.execute({ source: WORKFLOW_SOURCE, items: [{ idempotencyKey: `${run.id}:${step.id}`, request }], allOrNothing: false });
    let transition: RunTransition;
    switch (outcome.kind) {
      case 'created':
      case 'replayed':
        transition = this.done(at, { notifications: outcome.notifications.map((n) => ({ id: n.id, channel: n.channel, status: n.status })) });
        break;
      case 'invalid':
        // The recipient has no channel left (preferences, no address) or the content breaks a rule: the run goes on.
        transition = this.done(at, { notifications: [], refused: { code: outcome.error.code, message: outcome.error.message } });
        break;
      case 'template_missing':
        transition = this.finish({ ...at, steps: withStep(at.steps, at.stepIndex, { state: 'done', finishedAt: new Date().toISOString(), produced: { refused: { code: outcome.error.code, message: outcome.error.message } } }) }, 'failed', outcome.error.message);
        break;
      case 'key_reused':
      case 'withheld':
        transition = this.finish(at, 'failed', `the intake answered ${outcome.kind} for step ${step.id}`);
        break;
    }
    const written = await this.commit(held, transition);
    if (written && at.digest) await this.runs.markDigestSent(at.digest.windowId);
    return written;
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

  private async digest(run: WorkflowRun, definition: WorkflowDefinition, held: HeldRun, at: Position, step: DigestStep): Promise<RunTransition | null> {
    const record = at.steps[at.stepIndex];
    if (record.state === 'waiting') {
      let transition: RunTransition | null = null;
      const closed = await this.runs.closeDigest(held, record.produced!.digestWindow!, (digest) => {
        transition = this.done(at, { digestWindow: digest.windowId, digestCount: digest.count }, at.stepIndex + 1, digest);
        return transition;
      });
      return closed ? transition : null;
    }
    const windowMs = parseWorkflowDuration(step.window)!;
    let transition: RunTransition | null = null;
    const outcome = await this.runs.joinDigest(
      held,
      {
        workflowKey: definition.key,
        stepId: step.id,
        recipientKey: recipientKeyOf(run.recipient),
        digestKey: step.key ? fillPlaceholders(step.key, this.context(run, at)) : definition.key,
        windowMs,
        sendFirstImmediately: step.sendFirstImmediately === true,
        payload: run.payload,
      },
      (o) => {
        switch (o.kind) {
          case 'owner':
            transition = this.wait(at, o.closesAt, { digestWindow: o.windowId });
            break;
          case 'first':
            transition = this.done(at, { digestWindow: o.windowId, digestCount: 1 }, at.stepIndex + 1, { windowId: o.windowId, events: [run.payload], count: 1 });
            break;
          case 'joined':
            transition = this.finish({ ...at, steps: withStep(at.steps, at.stepIndex, { state: 'done', finishedAt: new Date().toISOString(), produced: { digestWindow: o.windowId, mergedInto: o.ownerRunId } }) }, 'completed');
            break;
        }
        return transition;
      },
    );
    return outcome ? transition : null;
  }

  private async branch(run: WorkflowRun, definition: WorkflowDefinition, at: Position, step: BranchStep): Promise<RunTransition> {
    let result: boolean;
    const condition = step.if;
    if (isOutcomeCondition(condition)) {
      const sendIndex = definition.steps.findIndex((s) => s.id === condition.step);
      const produced = at.steps[sendIndex]?.produced;
      const ids = produced?.notifications?.map((n) => n.id) ?? [];
      const states = await this.runs.notificationOutcomes(ids);
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

function withoutEmpty(r: Recipient): Record<string, unknown> {
  return Object.fromEntries(Object.entries(r).filter(([, v]) => v !== null && v !== undefined));
}
