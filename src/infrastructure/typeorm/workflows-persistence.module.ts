import { Module } from '@nestjs/common';
import { WorkflowRuns } from '../../domain/ports/workflow-runs.port';
import { WorkflowStore } from '../../domain/ports/workflow-store.port';
import { WorkflowRunsTypeormRepository } from './workflow-runs.typeorm-repository';
import { WorkflowStoreTypeormRepository } from './workflow-store.typeorm-repository';

/** PostgreSQL binding for workflow definitions, runs, digest windows and throttle counters. */
@Module({
  providers: [
    { provide: WorkflowStore, useClass: WorkflowStoreTypeormRepository },
    { provide: WorkflowRuns, useClass: WorkflowRunsTypeormRepository },
  ],
  exports: [WorkflowStore, WorkflowRuns],
})
export class WorkflowsPersistenceModule {}
