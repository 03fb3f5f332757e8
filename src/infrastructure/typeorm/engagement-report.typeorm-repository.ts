import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { EngagementCounts, EngagementDimension, EngagementGroup, EngagementQuery, EngagementRates } from '../../domain/analytics/engagement';
import { EngagementReport } from '../../domain/ports/engagement-report.port';

/** Dimension to column: the only text that goes into the statement from the request, and only from this list. */
const COLUMNS: Readonly<Record<EngagementDimension, string>> = { channel: 'channel', category: 'category', template: 'template', provider: 'provider' };

const COUNTS: ReadonlyArray<keyof EngagementCounts> = ['accepted', 'sent', 'delivered', 'opened', 'clicked', 'unsubscribed', 'bounced', 'complained', 'failed'];

/** Each rate as numerator / denominator. */
const RATES: Readonly<Record<keyof EngagementRates, [keyof EngagementCounts, keyof EngagementCounts]>> = {
  deliveryRate: ['delivered', 'sent'],
  openRate: ['opened', 'delivered'],
  clickRate: ['clicked', 'delivered'],
  clickToOpenRate: ['clicked', 'opened'],
  unsubscribeRate: ['unsubscribed', 'delivered'],
  bounceRate: ['bounced', 'sent'],
  complaintRate: ['complained', 'delivered'],
  failureRate: ['failed', 'accepted'],
};

/** The statuses whose presence in a notification's history counts it, beside its current status for `failed`. */
const REACHED: Readonly<Record<Exclude<keyof EngagementCounts, 'accepted' | 'failed'>, string[]>> = {
  // Only a provider's acceptance leads to these (directly, or through an unknown outcome settled by an event).
  sent: ['sent', 'delivered', 'opened', 'clicked', 'bounced', 'complained', 'undelivered', 'unsubscribed'],
  // An open, a click, an unsubscribe or a complaint proves the message arrived, also when no delivery event came (SMTP).
  delivered: ['delivered', 'opened', 'clicked', 'complained', 'unsubscribed'],
  opened: ['opened', 'clicked'],
  clicked: ['clicked'],
  unsubscribed: ['unsubscribed'],
  bounced: ['bounced'],
  complained: ['complained'],
};

/** The filters a report may have beside its window, each a column of the notification compared for equality. */
export interface EngagementFilters {
  channel?: string;
  category?: string;
}

/**
 * The report's statement for these groups, with the window as $1 (from, inclusive) and $2 (to, exclusive), then
 * the value of each filter given, in the order channel, category. One statement: the notifications created in the
 * window (a range scan of `notifications_created`, or of `notifications_feed_channel` / `notifications_feed_category`
 * when filtered), joined to their status history (`notification_status_history_notification` for a narrow window,
 * a hash join over the history for a wide one: the planner chooses, which is why this is a join and not a lateral
 * subquery), one row per notification with what it reached, then counted per group. The history is read rather
 * than the current status because later statuses overwrite earlier ones (an unsubscribe after a click). The
 * narrow-window plan is checked in test/integration/engagement-report-plan.test.ts.
 *
 * A group is a column of the notification (a dimension), or `bucket`: the UTC hour or day of its creation.
 */
export function engagementStatement(groupBy: readonly EngagementDimension[], filters: EngagementFilters = {}): string {
  return statementFor(
    groupBy.map((d) => ({ select: `n.${COLUMNS[d]}`, name: COLUMNS[d] })),
    filters,
  );
}

/** The same figures per bucket (`date_trunc` in UTC): the unit (hour, day) is the last parameter, after the filters. */
export function engagementBucketStatement(filters: EngagementFilters = {}): string {
  const unit = `$${3 + filterColumns(filters).length}`;
  return statementFor([{ select: `date_trunc(${unit}, n.created_at, 'UTC')`, name: 'bucket' }], filters);
}

const FILTER_COLUMNS: ReadonlyArray<keyof EngagementFilters> = ['channel', 'category'];

function filterColumns(filters: EngagementFilters): Array<keyof EngagementFilters> {
  return FILTER_COLUMNS.filter((c) => filters[c] !== undefined);
}

function statementFor(groups: ReadonlyArray<{ select: string; name: string }>, filters: EngagementFilters): string {
  const names = groups.map((g) => g.name);
  const where = filterColumns(filters).map((c, i) => ` AND n.${c} = $${3 + i}`).join('');
  const reached = Object.entries(REACHED).map(([count, statuses]) => `bool_or(h.to_status IN (${statuses.map((s) => `'${s}'`).join(', ')})) AS ${count}`);
  const counted = COUNTS.map((c) => (c === 'accepted' ? `count(*)::int AS accepted` : `count(*) FILTER (WHERE ${c})::int AS ${c}`));
  const rates = Object.entries(RATES).map(([rate, [num, den]]) => `round(${num}::numeric / nullif(${den}, 0), 4) AS "${rate}"`);
  return `WITH per_notification AS (
      SELECT ${groups.map((g) => `${g.select} AS ${g.name}`).join(', ')}, n.status = 'failed' AS failed, ${reached.join(', ')}
      FROM notifications n
      JOIN notification_status_history h ON h.notification_id = n.id
      WHERE n.created_at >= $1 AND n.created_at < $2${where}
      GROUP BY n.id
    ), per_group AS (
      SELECT ${names.join(', ')}, ${counted.join(', ')} FROM per_notification GROUP BY ${names.join(', ')}
    )
    SELECT *, ${rates.join(', ')} FROM per_group ORDER BY ${names.map((d) => `${d} NULLS LAST`).join(', ')}`;
}

const countsOf = (row: Record<string, unknown>) => Object.fromEntries(COUNTS.map((c) => [c, Number(row[c])])) as unknown as EngagementCounts;
const ratesOf = (row: Record<string, unknown>) => Object.fromEntries(Object.keys(RATES).map((r) => [r, row[r] === null ? null : Number(row[r])])) as unknown as EngagementRates;

@Injectable()
export class EngagementReportTypeormRepository extends EngagementReport {
  constructor(@InjectDataSource() private readonly db: DataSource) {
    super();
  }

  async engagementByGroup(query: EngagementQuery): Promise<EngagementGroup[]> {
    const rows: Array<Record<string, string | number | null>> = await this.db.query(engagementStatement(query.groupBy, query), this.params(query));
    return rows.map((row) => ({
      key: Object.fromEntries(query.groupBy.map((d) => [d, (row[COLUMNS[d]] as string | null) ?? null])),
      counts: countsOf(row),
      rates: ratesOf(row),
    }));
  }

  async engagementByBucket(query: EngagementQuery): Promise<Array<{ bucket: Date; counts: EngagementCounts; rates: EngagementRates }>> {
    if (!query.interval) throw new Error('engagementByBucket needs an interval');
    const rows: Array<Record<string, unknown>> = await this.db.query(engagementBucketStatement(query), [...this.params(query), query.interval]);
    return rows.map((row) => ({ bucket: row.bucket as Date, counts: countsOf(row), rates: ratesOf(row) }));
  }

  private params(query: EngagementQuery): unknown[] {
    return [query.from.toISOString(), query.to.toISOString(), ...filterColumns(query).map((c) => query[c])];
  }
}
