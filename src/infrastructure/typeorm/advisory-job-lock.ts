import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { JobLock, type ExclusiveRun } from '../../domain/ports/job-lock.port';

/** A Postgres session advisory lock per job name; a process that cannot take it skips the run. */
@Injectable()
export class AdvisoryJobLock extends JobLock {
  constructor(@InjectDataSource() private readonly db: DataSource) {
    super();
  }

  async runExclusive<T>(job: string, fn: () => Promise<T>): Promise<ExclusiveRun<T>> {
    const runner = this.db.createQueryRunner();
    await runner.connect();
    try {
      const [{ locked }] = await runner.query(`SELECT pg_try_advisory_lock(hashtext($1)) AS locked`, [`herald:${job}`]);
      if (!locked) return { ran: false };
      try {
        return { ran: true, value: await fn() };
      } finally {
        await runner.query(`SELECT pg_advisory_unlock(hashtext($1))`, [`herald:${job}`]);
      }
    } finally {
      await runner.release();
    }
  }
}
