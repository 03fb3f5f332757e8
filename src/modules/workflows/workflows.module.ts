import { Module } from '@nestjs/common';
import { RecipientsPersistenceModule } from '../../infrastructure/typeorm/recipients-persistence.module';
import { TopicsPersistenceModule } from '../../infrastructure/typeorm/topics-persistence.module';
import { WorkflowsPersistenceModule } from '../../infrastructure/typeorm/workflows-persistence.module';
import { IngestionModule } from '../ingestion/ingestion.module';
import { ScheduledSendsModule } from '../scheduled-sends/scheduled-sends.module';
import { AdvanceWorkflowRuns } from './application/advance-workflow-runs.use-case';
import { CancelWorkflowRuns } from './application/cancel-workflow-runs.use-case';
import { GetWorkflowRun } from './application/get-workflow-run.use-case';
import { GetWorkflow } from './application/get-workflow.use-case';
import { ListWorkflowRuns } from './application/list-workflow-runs.use-case';
import { ListWorkflows } from './application/list-workflows.use-case';
import { PublishWorkflow } from './application/publish-workflow.use-case';
import { StartWorkflowTriggers } from './application/start-workflow-triggers.use-case';
import { TriggerWorkflow } from './application/trigger-workflow.use-case';

const USE_CASES = [PublishWorkflow, GetWorkflow, ListWorkflows, TriggerWorkflow, StartWorkflowTriggers, AdvanceWorkflowRuns, GetWorkflowRun, ListWorkflowRuns, CancelWorkflowRuns];

/** Workflows: versioned multi-step definitions, their triggers and runs (the engine runs in the scheduler role). */
@Module({
  imports: [IngestionModule, ScheduledSendsModule, WorkflowsPersistenceModule, TopicsPersistenceModule, RecipientsPersistenceModule],
  providers: USE_CASES,
  exports: USE_CASES,
})
export class WorkflowsModule {}
