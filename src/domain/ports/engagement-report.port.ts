import type { EngagementGroup, EngagementQuery } from '../analytics/engagement';

/** Engagement figures of the notifications created in a window, per group, computed where they are stored. */
export abstract class EngagementReport {
  abstract engagementByGroup(query: EngagementQuery): Promise<EngagementGroup[]>;
}
