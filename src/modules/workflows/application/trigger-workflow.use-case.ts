import { Injectable } from '@nestjs/common';
import { IdempotencyKeyReusedError, TopicNotFoundError, ValidationFailedError, WorkflowNotFoundError, type FieldIssue } from '../../../domain/errors/domain-errors';
import { newId } from '../../../domain/notification/ids';
import type { Recipient } from '../../../domain/notification/notification-request';
import { fingerprint } from '../../../domain/notification/request-fingerprint';
import { TopicStore } from '../../../domain/ports/topic-store.port';
import { WorkflowRuns, type NewTrigger } from '../../../domain/ports/workflow-runs.port';
import { WorkflowStore } from '../../../domain/ports/workflow-store.port';
import type { WorkflowDefinition, WorkflowVersion } from '../../../domain/workflows/workflow-definition';
import type { StepRecord } from '../../../domain/workflows/workflow-run';

/** A topic larger than this is refused: its runs are all inserted in the trigger's transaction. */
export const MAX_TOPIC_RECIPIENTS = 10_000;
const SUBSCRIBER_PAGE = 1000;

export interface TriggerWorkflowInput {
  /** Idempotency scope: `api:<key id>`, a stream, a queue. */
  source: string;
  workflowKey: string;
  recipients?: Recipient[];
  topic?: string;
  payload: Record<string, unknown>;
  idempotencyKey: string | null;
  /** Names the runs for cancelling; defaults to the idempotency key. */
  runKey?: string | null;
}

export interface TriggerWorkflowResult {
  triggerId: string;
  workflow: string;
  version: number;
  replayed: boolean;
  runs: Array<{ id: string; userId: string | null }>;
}

/** The steps of a new run, every one pending. */
export function pendingSteps(definition: WorkflowDefinition): StepRecord[] {
  return definition.steps.map((s) => ({ id: s.id, type: s.type, state: 'pending', startedAt: null, finishedAt: null, produced: null }));
}

/** Drops the nulls the edge lets through for optional fields: a recipient as the intake would have it. */
function cleanRecipient(r: Recipient): Recipient {
  return Object.fromEntries(Object.entries(r).filter(([, v]) => v !== null && v !== undefined)) as Recipient;
}

/** What is wrong with a trigger before anything is looked up: recipients or topic, each recipient with an address. */
export function triggerInputIssues(input: Pick<TriggerWorkflowInput, 'recipients' | 'topic'>): FieldIssue[] {
  if ((input.recipients === undefined) === (input.topic === undefined)) return [{ field: 'recipients', reason: 'is required (or topic), not both' }];
  return (input.recipients ?? []).flatMap((r, i) => (r.userId || r.email || r.phone ? [] : [{ field: `recipients[${i}]`, reason: 'must have a userId, email or phone' }]));
}

/** The trigger and its runs to store: one run per recipient, on the given (latest) version. */
export function newTrigger(input: TriggerWorkflowInput, workflow: WorkflowVersion, recipients: Recipient[]): NewTrigger {
  const requestHash = fingerprint({ workflow: input.workflowKey, recipients: input.recipients ?? null, topic: input.topic ?? null, payload: input.payload, runKey: input.runKey ?? null });
  const steps = pendingSteps(workflow.definition);
  return {
    id: newId(),
    source: input.source,
    idempotencyKey: input.idempotencyKey,
    requestHash,
    workflowKey: workflow.key,
    workflowVersion: workflow.version,
    runKey: input.runKey ?? input.idempotencyKey,
    payload: input.payload,
    runs: recipients.map((recipient) => ({ id: newId(), recipient, steps })),
  };
}

/** The recipients a trigger names (cleaned), or the subscribers of its topic at this time; the refusal when there are none to have. */
export async function recipientsOf(
  topics: TopicStore,
  input: Pick<TriggerWorkflowInput, 'recipients' | 'topic'>,
): Promise<{ ok: true; recipients: Recipient[] } | { ok: false; error: TopicNotFoundError | ValidationFailedError }> {
  if (input.recipients) return { ok: true, recipients: input.recipients.map(cleanRecipient) };
  const topic = input.topic!;
  if (!(await topics.find(topic))) return { ok: false, error: new TopicNotFoundError(topic) };
  const out: Recipient[] = [];
  let after: string | null = null;
  do {
    const page = await topics.listSubscribers(topic, after, SUBSCRIBER_PAGE);
    out.push(...page.userIds.map((userId) => ({ userId })));
    after = page.nextCursor;
    if (out.length > MAX_TOPIC_RECIPIENTS) {
      return { ok: false, error: new ValidationFailedError([{ field: 'topic', reason: `has more than ${MAX_TOPIC_RECIPIENTS} subscribers; a workflow is triggered for at most that many at once` }]) };
    }
  } while (after !== null);
  return { ok: true, recipients: out };
}

/**
 * Starts a workflow for each recipient (or each subscriber of a topic, at the time of the trigger): the trigger
 * and every run are committed in one transaction before it returns, on the latest version of the workflow. The
 * same idempotency key from the same source returns the runs of the first trigger and starts nothing.
 */
@Injectable()
export class TriggerWorkflow {
  constructor(
    private readonly workflows: WorkflowStore,
    private readonly runs: WorkflowRuns,
    private readonly topics: TopicStore,
  ) {}

  async execute(input: TriggerWorkflowInput): Promise<TriggerWorkflowResult> {
    const issues = triggerInputIssues(input);
    if (issues.length) throw new ValidationFailedError(issues);
    const workflow = await this.workflows.find(input.workflowKey);
    if (!workflow) throw new WorkflowNotFoundError(input.workflowKey);
    const recipients = await recipientsOf(this.topics, input);
    if (!recipients.ok) throw recipients.error;
    const [result] = await this.runs.start([newTrigger(input, workflow, recipients.recipients)]);
    if (result.kind === 'key_reused') throw new IdempotencyKeyReusedError(result.idempotencyKey);
    return { triggerId: result.triggerId, workflow: workflow.key, version: workflow.version, replayed: result.kind === 'replayed', runs: result.runs };
  }
}
