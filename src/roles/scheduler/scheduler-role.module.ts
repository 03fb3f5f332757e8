import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { JobsPersistenceModule } from '../../infrastructure/typeorm/jobs-persistence.module';
import { DeliveryTrackingModule } from '../../modules/delivery-tracking/delivery-tracking.module';
import { ReconciliationModule } from '../../modules/reconciliation/reconciliation.module';
import { ScheduledSendsModule } from '../../modules/scheduled-sends/scheduled-sends.module';
import { FanoutRunner } from '../../modules/topics/fanout/fanout.runner';
import { TopicsModule } from '../../modules/topics/topics.module';
import { PeriodicJobsScheduler } from './periodic-jobs.scheduler';

/** The scheduler role: periodic jobs (reconciliation, scheduled sends, status webhooks, key purges) and the topic fan-out loop. */
@Module({
  imports: [ScheduleModule.forRoot(), JobsPersistenceModule, ReconciliationModule, ScheduledSendsModule, DeliveryTrackingModule, TopicsModule],
  providers: [PeriodicJobsScheduler, FanoutRunner],
})
export class SchedulerRoleModule {}
