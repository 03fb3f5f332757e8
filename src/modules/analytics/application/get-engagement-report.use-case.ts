import { Injectable } from '@nestjs/common';
import {
  bucketsOf,
  emptyFigures,
  engagementQueryOf,
  type EngagementBucket,
  type EngagementGroup,
  type EngagementQuery,
  type EngagementQueryInput,
} from '../../../domain/analytics/engagement';
import { ValidationFailedError } from '../../../domain/errors/domain-errors';
import { EngagementReport } from '../../../domain/ports/engagement-report.port';

export type EngagementReportOutcome =
  | { kind: 'report'; query: EngagementQuery; groups: EngagementGroup[]; buckets: EngagementBucket[] | null }
  | { kind: 'invalid'; error: ValidationFailedError };

/**
 * Sent, delivered, opened, clicked, unsubscribed, bounced and failed notifications of a window, and their rates, per
 * group; with an interval, also per hour or day of the window, every bucket present (zero counts where nothing was
 * created), so that a chart has no gaps.
 */
@Injectable()
export class GetEngagementReport {
  constructor(private readonly report: EngagementReport) {}

  async execute(input: EngagementQueryInput): Promise<EngagementReportOutcome> {
    const read = engagementQueryOf(input);
    if ('issues' in read) return { kind: 'invalid', error: new ValidationFailedError(read.issues) };
    const { query } = read;
    const [groups, counted] = await Promise.all([this.report.engagementByGroup(query), query.interval ? this.report.engagementByBucket(query) : null]);
    if (!counted || !query.interval) return { kind: 'report', query, groups, buckets: null };
    const byStart = new Map(counted.map((b) => [b.bucket.getTime(), b]));
    const buckets = bucketsOf(query.from, query.to, query.interval).map(({ aligned, start, end }) => {
      const found = byStart.get(aligned.getTime());
      return { start, end, ...(found ? { counts: found.counts, rates: found.rates } : emptyFigures()) };
    });
    return { kind: 'report', query, groups, buckets };
  }
}
