import { Injectable } from '@nestjs/common';
import type { ListPosition } from '../../../domain/ports/notification-reader.port';
import { WorkflowRuns, type RunListFilter } from '../../../domain/ports/workflow-runs.port';
import type { WorkflowRun } from '../../../domain/workflows/workflow-run';

/** Runs newest first, filtered by workflow, user and status. */
@Injectable()
export class ListWorkflowRuns {
  constructor(private readonly runs: WorkflowRuns) {}

  execute(input: { filter: RunListFilter; after: ListPosition | null; limit: number }): Promise<{ items: WorkflowRun[]; next: ListPosition | null }> {
    return this.runs.list(input.filter, input.after, input.limit);
  }
}
