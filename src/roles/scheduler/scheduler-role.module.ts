import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { JobsPersistenceModule } from '../../infrastructure/typeorm/jobs-persistence.module';
import { DeliveryTrackingModule } from '../../modules/delivery-tracking/delivery-tracking.module';
import { ReconciliationModule } from '../../modules/reconciliation/reconciliation.module';
import { ScheduledSendsModule } from '../../modules/scheduled-sends/scheduled-sends.module';
import { FanoutRunner } from '../../modules/topics/fanout/fanout.runner';
import { TopicsModule } from '../../modules/topics/topics.module';
import { WorkflowEngineRunner } from '../../modules/workflows/engine/workflow-engine.runner';
import { WorkflowsModule } from '../../modules/workflows/workflows.module';
import { PeriodicJobsScheduler } from './periodic-jobs.scheduler';

/** The scheduler role: periodic jobs (reconciliation, scheduled sends, status webhooks, key purges), the topic fan-out loop and the workflow engine. */
@Module({
  imports: [ScheduleModule.forRoot(), JobsPersistenceModule, ReconciliationModule, ScheduledSendsModule, DeliveryTrackingModule, TopicsModule, WorkflowsModule],
  providers: [PeriodicJobsScheduler, FanoutRunner, WorkflowEngineRunner],
})
export class SchedulerRoleModule {}
