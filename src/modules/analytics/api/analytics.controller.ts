import { Controller, Get, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiForbiddenResponse, ApiOkResponse, ApiOperation, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { RequireScope } from '../../access/api/auth.decorators';
import { ErrorResponseDto } from '../../../infrastructure/http/error-response.dto';
import { GetEngagementReport } from '../application/get-engagement-report.use-case';
import { EngagementQueryDto, EngagementReportDto } from './dto/engagement.dto';

@ApiTags('analytics')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ type: ErrorResponseDto, description: 'No API key, or an unknown or revoked one.' })
@ApiForbiddenResponse({ type: ErrorResponseDto, description: 'The API key lacks the notifications:read scope.' })
@Controller('v1/analytics')
export class AnalyticsController {
  constructor(private readonly engagementReport: GetEngagementReport) {}

  @Get('engagement')
  @RequireScope('notifications:read')
  @ApiOperation({
    summary: 'Engagement of the notifications created in a window, per channel, category, template or provider, and per hour or day',
    description:
      'Counts (accepted, sent, delivered, opened, clicked, unsubscribed, bounced, complained, failed) and rates; docs/observability.md defines each. With `interval`, the same figures per UTC hour or day of the window as `buckets`; `channel` and `category` narrow the notifications counted.',
  })
  @ApiOkResponse({ type: EngagementReportDto })
  @ApiBadRequestResponse({
    type: ErrorResponseDto,
    description: 'from or to missing or not ISO 8601, from not before to, more than 93 days (31 with interval=hour), an unknown groupBy, interval or channel.',
  })
  async engagement(@Query() query: EngagementQueryDto): Promise<EngagementReportDto> {
    const outcome = await this.engagementReport.execute(query);
    if (outcome.kind === 'invalid') throw outcome.error;
    const { from, to, groupBy, interval, channel, category } = outcome.query;
    return {
      from: from.toISOString(),
      to: to.toISOString(),
      groupBy,
      ...(channel ? { channel } : {}),
      ...(category !== undefined ? { category } : {}),
      groups: outcome.groups,
      ...(outcome.buckets && interval
        ? { interval, buckets: outcome.buckets.map((b) => ({ start: b.start.toISOString(), end: b.end.toISOString(), counts: b.counts, rates: b.rates })) }
        : {}),
    };
  }
}
