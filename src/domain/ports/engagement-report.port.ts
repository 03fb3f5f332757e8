import type { EngagementCounts, EngagementGroup, EngagementQuery, EngagementRates } from '../analytics/engagement';

/** Engagement figures of the notifications created in a window, per group, computed where they are stored. */
export abstract class EngagementReport {
  abstract engagementByGroup(query: EngagementQuery): Promise<EngagementGroup[]>;
  /**
   * The same figures per bucket of `query.interval` (required), keyed by the bucket's UTC-aligned start; buckets in
   * which no notification was created are absent.
   */
  abstract engagementByBucket(query: EngagementQuery): Promise<Array<{ bucket: Date; counts: EngagementCounts; rates: EngagementRates }>>;
}
