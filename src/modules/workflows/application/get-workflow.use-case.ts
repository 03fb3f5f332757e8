import { Injectable } from '@nestjs/common';
import { WorkflowNotFoundError } from '../../../domain/errors/domain-errors';
import { WorkflowStore } from '../../../domain/ports/workflow-store.port';
import type { WorkflowVersion } from '../../../domain/workflows/workflow-definition';

@Injectable()
export class GetWorkflow {
  constructor(private readonly store: WorkflowStore) {}

  async execute(input: { key: string; version?: number }): Promise<WorkflowVersion> {
    const found = await this.store.find(input.key, input.version);
    if (!found) throw new WorkflowNotFoundError(input.key, input.version);
    return found;
  }
}
