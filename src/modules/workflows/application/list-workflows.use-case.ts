import { Injectable } from '@nestjs/common';
import { WorkflowStore, type WorkflowSummary } from '../../../domain/ports/workflow-store.port';

/** Workflows in key order, as their latest versions have them. */
@Injectable()
export class ListWorkflows {
  constructor(private readonly store: WorkflowStore) {}

  execute(input: { after: string | null; limit: number }): Promise<{ items: WorkflowSummary[]; nextCursor: string | null }> {
    return this.store.list(input.after, input.limit);
  }
}
