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
    summary: 'Engagement of the notifications created in a window, per channel, category, template or provider',
    description: 'Counts (accepted, sent, delivered, opened, clicked, unsubscribed, bounced, complained, failed) and rates; docs/observability.md defines each.',
  })
  @ApiOkResponse({ type: EngagementReportDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'from or to missing or not ISO 8601, from not before to, more than 93 days, or an unknown groupBy.' })
  async engagement(@Query() query: EngagementQueryDto): Promise<EngagementReportDto> {
    const outcome = await this.engagementReport.execute(query);
    if (outcome.kind === 'invalid') throw outcome.error;
    return { from: outcome.query.from.toISOString(), to: outcome.query.to.toISOString(), groupBy: outcome.query.groupBy, groups: outcome.groups };
  }
}
