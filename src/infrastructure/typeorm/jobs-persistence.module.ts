import { Module } from '@nestjs/common';
import { JobLock } from '../../domain/ports/job-lock.port';
import { AdvisoryJobLock } from './advisory-job-lock';

/** PostgreSQL binding for the advisory lock that lets one process at a time run a periodic job. */
@Module({
  providers: [
    { provide: JobLock, useClass: AdvisoryJobLock },
  ],
  exports: [JobLock],
})
export class JobsPersistenceModule {}
