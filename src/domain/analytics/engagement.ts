import type { FieldIssue } from '../errors/domain-errors';
import { isChannel, type Channel } from '../notification/channel';

/** What engagement figures may be grouped by: each is a column of the notification. */
export const ENGAGEMENT_DIMENSIONS = ['channel', 'category', 'template', 'provider'] as const;
export type EngagementDimension = (typeof ENGAGEMENT_DIMENSIONS)[number];

/** The longest window one report covers: a quarter, so that a request scans a bounded range of notifications. */
export const MAX_ENGAGEMENT_WINDOW_DAYS = 93;

/** The buckets of a time series, aligned to UTC hours or days. */
export const ENGAGEMENT_INTERVALS = ['hour', 'day'] as const;
export type EngagementInterval = (typeof ENGAGEMENT_INTERVALS)[number];
const INTERVAL_MS: Readonly<Record<EngagementInterval, number>> = { hour: 3_600_000, day: 86_400_000 };
/** Hourly buckets cover at most a month (744 buckets); daily ones the whole window. */
export const MAX_HOURLY_WINDOW_DAYS = 31;

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

/** The figures of the notifications created in one bucket of the window: [start, end). */
export interface EngagementBucket {
  start: Date;
  end: Date;
  counts: EngagementCounts;
  rates: EngagementRates;
}

export interface EngagementQuery {
  from: Date;
  to: Date;
  groupBy: EngagementDimension[];
  /** Also count per bucket of this size. */
  interval?: EngagementInterval;
  /** Count only the notifications of this channel, or of this category. */
  channel?: Channel;
  category?: string;
}

export interface EngagementQueryInput {
  from: string;
  to: string;
  groupBy?: string;
  interval?: string;
  channel?: string;
  category?: string;
}

/**
 * Reads `from`, `to` (ISO 8601, from before to, at most MAX_ENGAGEMENT_WINDOW_DAYS apart), `groupBy` (a comma
 * list of dimensions, each once; channel when absent), `interval` (hour, at most MAX_HOURLY_WINDOW_DAYS, or day)
 * and the `channel` and `category` filters into a query, or the issues that refuse it.
 */
export function engagementQueryOf(input: EngagementQueryInput): { query: EngagementQuery } | { issues: FieldIssue[] } {
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
  const interval = input.interval;
  if (interval !== undefined && !(ENGAGEMENT_INTERVALS as readonly string[]).includes(interval)) issues.push({ field: 'interval', reason: 'must be hour or day' });
  else if (interval === 'hour' && to.getTime() - from.getTime() > MAX_HOURLY_WINDOW_DAYS * 86_400_000) {
    issues.push({ field: 'to', reason: `must be at most ${MAX_HOURLY_WINDOW_DAYS} days after from with interval=hour` });
  }
  if (input.channel !== undefined && !isChannel(input.channel)) issues.push({ field: 'channel', reason: 'must be a channel' });
  if (issues.length) return { issues };
  return {
    query: {
      from,
      to,
      groupBy: names as EngagementDimension[],
      ...(interval ? { interval: interval as EngagementInterval } : {}),
      ...(input.channel ? { channel: input.channel as Channel } : {}),
      ...(input.category !== undefined ? { category: input.category } : {}),
    },
  };
}

/**
 * Every bucket of the window, in order: `aligned` is the UTC hour or day it is (what date_trunc gives), `start` and
 * `end` are the part of it in the window (the first and last may be cut short).
 */
export function bucketsOf(from: Date, to: Date, interval: EngagementInterval): Array<{ aligned: Date; start: Date; end: Date }> {
  const step = INTERVAL_MS[interval];
  const out: Array<{ aligned: Date; start: Date; end: Date }> = [];
  for (let t = Math.floor(from.getTime() / step) * step; t < to.getTime(); t += step) {
    out.push({ aligned: new Date(t), start: new Date(Math.max(t, from.getTime())), end: new Date(Math.min(t + step, to.getTime())) });
  }
  return out;
}

/** The figures of a bucket in which no notification was created. */
export function emptyFigures(): { counts: EngagementCounts; rates: EngagementRates } {
  return {
    counts: { accepted: 0, sent: 0, delivered: 0, opened: 0, clicked: 0, unsubscribed: 0, bounced: 0, complained: 0, failed: 0 },
    rates: { deliveryRate: null, openRate: null, clickRate: null, clickToOpenRate: null, unsubscribeRate: null, bounceRate: null, complaintRate: null, failureRate: null },
  };
}
