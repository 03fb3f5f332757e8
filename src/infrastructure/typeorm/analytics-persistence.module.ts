import { Module } from '@nestjs/common';
import { EngagementReport } from '../../domain/ports/engagement-report.port';
import { EngagementReportTypeormRepository } from './engagement-report.typeorm-repository';

/** PostgreSQL binding for reports computed over the stored notifications and their history. */
@Module({
  providers: [{ provide: EngagementReport, useClass: EngagementReportTypeormRepository }],
  exports: [EngagementReport],
})
export class AnalyticsPersistenceModule {}
