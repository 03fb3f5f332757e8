import { Injectable } from '@nestjs/common';
import { ValidationFailedError, WorkflowNotFoundError } from '../../../domain/errors/domain-errors';
import { TopicStore } from '../../../domain/ports/topic-store.port';
import { WorkflowRuns, type NewTrigger, type TriggerResult } from '../../../domain/ports/workflow-runs.port';
import { WorkflowStore } from '../../../domain/ports/workflow-store.port';
import type { WorkflowVersion } from '../../../domain/workflows/workflow-definition';
import { describeIssues } from '../../ingestion/application/validate-request';
import { MAX_TOPIC_RECIPIENTS, newTrigger, recipientsOf, triggerInputIssues, type TriggerWorkflowInput } from './trigger-workflow.use-case';

export interface StartWorkflowTriggersInput {
  /** Idempotency scope: a stream ARN, `intake:<queue>`. */
  source: string;
  triggers: Array<Omit<TriggerWorkflowInput, 'source'>>;
}

/** What became of one trigger: started, or the reason it cannot be. */
export type TriggerOutcome = TriggerResult | { kind: 'refused'; reason: string };

/**
 * The event sources' way in: a batch of triggers (a stream page, a queue batch) started in one transaction (a few
 * statements whatever their number), on the latest version of each workflow. A trigger naming a workflow or topic that does not exist, or with no recipient,
 * is refused on its own (returned, not thrown) and starts nothing; the others start. A known idempotency key from the
 * same source returns the first trigger's runs and starts nothing.
 */
@Injectable()
export class StartWorkflowTriggers {
  constructor(
    private readonly workflows: WorkflowStore,
    private readonly runs: WorkflowRuns,
    private readonly topics: TopicStore,
  ) {}

  async execute(input: StartWorkflowTriggersInput): Promise<TriggerOutcome[]> {
    const outcomes: Array<TriggerOutcome | null> = input.triggers.map(() => null);
    const keys = [...new Set(input.triggers.map((t) => t.workflowKey))];
    const found = await Promise.all(keys.map((k) => this.workflows.find(k)));
    const latest = new Map<string, WorkflowVersion>();
    keys.forEach((k, i) => {
      if (found[i]) latest.set(k, found[i]);
    });
    // A topic is read once per batch: its subscribers at the time of the batch.
    const topicRecipients = new Map<string, Awaited<ReturnType<typeof recipientsOf>>>();
    const toStart: Array<{ index: number; trigger: NewTrigger }> = [];
    for (const [index, t] of input.triggers.entries()) {
      const issues = triggerInputIssues(t);
      if (issues.length) {
        outcomes[index] = { kind: 'refused', reason: describeIssues(issues) };
        continue;
      }
      const workflow = latest.get(t.workflowKey);
      if (!workflow) {
        outcomes[index] = { kind: 'refused', reason: new WorkflowNotFoundError(t.workflowKey).message };
        continue;
      }
      let recipients: Awaited<ReturnType<typeof recipientsOf>>;
      if (t.topic !== undefined) {
        recipients = topicRecipients.get(t.topic) ?? (await recipientsOf(this.topics, t));
        topicRecipients.set(t.topic, recipients);
      } else {
        recipients = await recipientsOf(this.topics, t);
      }
      if (!recipients.ok) {
        outcomes[index] = { kind: 'refused', reason: recipients.error instanceof ValidationFailedError ? describeIssues(recipients.error.issues) : recipients.error.message };
        continue;
      }
      toStart.push({ index, trigger: newTrigger({ ...t, source: input.source }, workflow, recipients.recipients) });
    }
    // One transaction for the batch, unless its runs are many (records naming large topics): then one per group of
    // up to MAX_TOPIC_RECIPIENTS runs. Each trigger is stored whole with its runs either way, and its key makes a
    // second start a replay, so a failure between two groups is repaired by reading the batch again.
    let group: typeof toStart = [];
    let runsInGroup = 0;
    const flush = async () => {
      if (group.length === 0) return;
      const results = await this.runs.start(group.map((s) => s.trigger));
      group.forEach((s, i) => (outcomes[s.index] = results[i]));
      group = [];
      runsInGroup = 0;
    };
    for (const s of toStart) {
      if (runsInGroup > 0 && runsInGroup + s.trigger.runs.length > MAX_TOPIC_RECIPIENTS) await flush();
      group.push(s);
      runsInGroup += s.trigger.runs.length;
    }
    await flush();
    return outcomes as TriggerOutcome[];
  }
}

