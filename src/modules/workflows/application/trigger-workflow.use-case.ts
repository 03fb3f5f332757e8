import { Injectable } from '@nestjs/common';
import { IdempotencyKeyReusedError, TopicNotFoundError, ValidationFailedError, WorkflowNotFoundError } from '../../../domain/errors/domain-errors';
import { newId } from '../../../domain/notification/ids';
import type { Recipient } from '../../../domain/notification/notification-request';
import { fingerprint } from '../../../domain/notification/request-fingerprint';
import { TopicStore } from '../../../domain/ports/topic-store.port';
import { WorkflowRuns } from '../../../domain/ports/workflow-runs.port';
import { WorkflowStore } from '../../../domain/ports/workflow-store.port';
import type { WorkflowDefinition } from '../../../domain/workflows/workflow-definition';
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
    if ((input.recipients === undefined) === (input.topic === undefined)) throw new ValidationFailedError([{ field: 'recipients', reason: 'is required (or topic), not both' }]);
    const issues = (input.recipients ?? []).flatMap((r, i) => (r.userId || r.email || r.phone ? [] : [{ field: `recipients[${i}]`, reason: 'must have a userId, email or phone' }]));
    if (issues.length) throw new ValidationFailedError(issues);
    const workflow = await this.workflows.find(input.workflowKey);
    if (!workflow) throw new WorkflowNotFoundError(input.workflowKey);
    const recipients = input.recipients ? input.recipients.map(cleanRecipient) : await this.subscribersOf(input.topic!);
    const requestHash = fingerprint({ workflow: input.workflowKey, recipients: input.recipients ?? null, topic: input.topic ?? null, payload: input.payload, runKey: input.runKey ?? null });
    const steps = pendingSteps(workflow.definition);
    const result = await this.runs.start({
      id: newId(),
      source: input.source,
      idempotencyKey: input.idempotencyKey,
      requestHash,
      workflowKey: workflow.key,
      workflowVersion: workflow.version,
      runKey: input.runKey ?? input.idempotencyKey,
      payload: input.payload,
      runs: recipients.map((recipient) => ({ id: newId(), recipient, steps })),
    });
    if (result.kind === 'key_reused') throw new IdempotencyKeyReusedError(result.idempotencyKey);
    return { triggerId: result.triggerId, workflow: workflow.key, version: workflow.version, replayed: result.kind === 'replayed', runs: result.runs };
  }

  private async subscribersOf(topic: string): Promise<Recipient[]> {
    if (!(await this.topics.find(topic))) throw new TopicNotFoundError(topic);
    const out: Recipient[] = [];
    let after: string | null = null;
    do {
      const page = await this.topics.listSubscribers(topic, after, SUBSCRIBER_PAGE);
      out.push(...page.userIds.map((userId) => ({ userId })));
      after = page.nextCursor;
      if (out.length > MAX_TOPIC_RECIPIENTS) {
        throw new ValidationFailedError([{ field: 'topic', reason: `has more than ${MAX_TOPIC_RECIPIENTS} subscribers; a workflow is triggered for at most that many at once` }]);
      }
    } while (after !== null);
    return out;
  }
}
