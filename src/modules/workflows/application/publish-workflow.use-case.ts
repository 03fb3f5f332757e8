import { Injectable } from '@nestjs/common';
import { ValidationFailedError } from '../../../domain/errors/domain-errors';
import { fingerprint } from '../../../domain/notification/request-fingerprint';
import { WorkflowStore } from '../../../domain/ports/workflow-store.port';
import { normalizeDefinition, workflowDefinitionIssues, type WorkflowVersion } from '../../../domain/workflows/workflow-definition';

/**
 * Stores a workflow definition as its next version after checking it whole (every problem named by field);
 * a definition equal to the latest version stores nothing and returns that version. Runs already started keep
 * the version they started with.
 */
@Injectable()
export class PublishWorkflow {
  constructor(private readonly store: WorkflowStore) {}

  async execute(input: { key: string; body: unknown }): Promise<{ workflow: WorkflowVersion; changed: boolean }> {
    const issues = workflowDefinitionIssues(input.body, input.key);
    if (issues.length) throw new ValidationFailedError(issues);
    const definition = normalizeDefinition(input.body as Record<string, unknown>, input.key);
    const { version, changed } = await this.store.publish(definition, fingerprint(definition));
    return { workflow: version, changed };
  }
}
