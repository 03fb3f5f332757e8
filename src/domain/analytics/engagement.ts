import type { FieldIssue } from '../errors/domain-errors';

/** What engagement figures may be grouped by: each is a column of the notification. */
export const ENGAGEMENT_DIMENSIONS = ['channel', 'category', 'template', 'provider'] as const;
export type EngagementDimension = (typeof ENGAGEMENT_DIMENSIONS)[number];

/** The longest window one report covers: a quarter, so that a request scans a bounded range of notifications. */
export const MAX_ENGAGEMENT_WINDOW_DAYS = 93;

/**
 * Counts of the notifications created in the window, by the furthest they got (see docs/observability.md):
 * `sent` counts every notification a provider accepted (also when an event settled an unknown outcome), `delivered`
 * every one known to have arrived (a delivery event, or an open, click, unsubscribe or complaint, which prove it),
 * `opened` every one opened or clicked (a click proves an open even when images were blocked). `failed` is the
 * current status.
 */
export interface EngagementCounts {
  accepted: number;
  sent: number;
  delivered: number;
  opened: number;
  clicked: number;
  unsubscribed: number;
  bounced: number;
  complained: number;
  failed: number;
}

/** Ratios of the counts, rounded to 4 decimals; null when the denominator is 0. */
export interface EngagementRates {
  /** delivered / sent */
  deliveryRate: number | null;
  /** opened / delivered */
  openRate: number | null;
  /** clicked / delivered */
  clickRate: number | null;
  /** clicked / opened */
  clickToOpenRate: number | null;
  /** unsubscribed / delivered */
  unsubscribeRate: number | null;
  /** bounced / sent */
  bounceRate: number | null;
  /** complained / delivered */
  complaintRate: number | null;
  /** failed / accepted */
  failureRate: number | null;
}

export interface EngagementGroup {
  /** The value of each grouped-by dimension (null: none, e.g. no category, literal content, no provider called). */
  key: Partial<Record<EngagementDimension, string | null>>;
  counts: EngagementCounts;
  rates: EngagementRates;
}

export interface EngagementQuery {
  from: Date;
  to: Date;
  groupBy: EngagementDimension[];
}

/**
 * Reads `from`, `to` (ISO 8601, from before to, at most MAX_ENGAGEMENT_WINDOW_DAYS apart) and `groupBy` (a comma
 * list of dimensions, each once; channel when absent) into a query, or the issues that refuse it.
 */
export function engagementQueryOf(input: { from: string; to: string; groupBy?: string }): { query: EngagementQuery } | { issues: FieldIssue[] } {
  const issues: FieldIssue[] = [];
  const from = new Date(input.from);
  const to = new Date(input.to);
  if (from.getTime() >= to.getTime()) issues.push({ field: 'to', reason: 'must be after from' });
  else if (to.getTime() - from.getTime() > MAX_ENGAGEMENT_WINDOW_DAYS * 86_400_000) {
    issues.push({ field: 'to', reason: `must be at most ${MAX_ENGAGEMENT_WINDOW_DAYS} days after from` });
  }
  const names = input.groupBy === undefined ? ['channel'] : input.groupBy.split(',').map((s) => s.trim());
  const unknown = names.filter((n) => !(ENGAGEMENT_DIMENSIONS as readonly string[]).includes(n));
  if (unknown.length) issues.push({ field: 'groupBy', reason: `must be a comma-separated list of ${ENGAGEMENT_DIMENSIONS.join(', ')} (not ${unknown.map((u) => JSON.stringify(u)).join(', ')})` });
  else if (new Set(names).size !== names.length) issues.push({ field: 'groupBy', reason: 'must name each dimension once' });
  if (issues.length) return { issues };
  return { query: { from, to, groupBy: names as EngagementDimension[] } };
}
