import { Module } from '@nestjs/common';
import { AnalyticsPersistenceModule } from '../../infrastructure/typeorm/analytics-persistence.module';
import { GetEngagementReport } from './application/get-engagement-report.use-case';

const USE_CASES = [GetEngagementReport];

/** Reports over what Herald recorded: engagement per channel, category, template and provider. */
@Module({ imports: [AnalyticsPersistenceModule], providers: USE_CASES, exports: USE_CASES })
export class AnalyticsModule {}
