export type ExclusiveRun<T> = { ran: true; value: T } | { ran: false };

/** Ensures a scheduled job runs in one process at a time across the deployment. */
export abstract class JobLock {
  abstract runExclusive<T>(job: string, fn: () => Promise<T>): Promise<ExclusiveRun<T>>;
}
