import { Injectable } from '@nestjs/common';
import { engagementQueryOf, type EngagementGroup, type EngagementQuery } from '../../../domain/analytics/engagement';
import { ValidationFailedError } from '../../../domain/errors/domain-errors';
import { EngagementReport } from '../../../domain/ports/engagement-report.port';

export type EngagementReportOutcome = { kind: 'report'; query: EngagementQuery; groups: EngagementGroup[] } | { kind: 'invalid'; error: ValidationFailedError };

/** Sent, delivered, opened, clicked, unsubscribed, bounced and failed notifications of a window, and their rates, per group. */
@Injectable()
export class GetEngagementReport {
  constructor(private readonly report: EngagementReport) {}

  async execute(input: { from: string; to: string; groupBy?: string }): Promise<EngagementReportOutcome> {
    const read = engagementQueryOf(input);
    if ('issues' in read) return { kind: 'invalid', error: new ValidationFailedError(read.issues) };
    return { kind: 'report', query: read.query, groups: await this.report.engagementByGroup(read.query) };
  }
}
