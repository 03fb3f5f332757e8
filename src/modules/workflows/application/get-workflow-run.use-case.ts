import { Injectable } from '@nestjs/common';
import { WorkflowRunNotFoundError } from '../../../domain/errors/domain-errors';
import { WorkflowRuns } from '../../../domain/ports/workflow-runs.port';
import type { WorkflowRun } from '../../../domain/workflows/workflow-run';

@Injectable()
export class GetWorkflowRun {
  constructor(private readonly runs: WorkflowRuns) {}

  async execute(input: { id: string }): Promise<WorkflowRun> {
    const run = await this.runs.find(input.id);
    if (!run) throw new WorkflowRunNotFoundError(input.id);
    return run;
  }
}
