import { Controller, Get, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiForbiddenResponse, ApiOkResponse, ApiOperation, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { RequireScope } from '../../access/api/auth.decorators';
import { ErrorResponseDto } from '../../../infrastructure/http/error-response.dto';
import { ListRejectedEvents } from '../application/list-rejected-events.use-case';
import { RejectedEventsPageDto, RejectedEventsQueryDto } from './dto/rejected-events.dto';

@ApiTags('event sources')
@Controller('v1/rejected-events')
export class RejectedEventsController {
  constructor(private readonly listRejectedEvents: ListRejectedEvents) {}

  @Get()
  @RequireScope('admin')
  @ApiOperation({
    summary: 'Events that matched a rule (or reached the intake queue) but could not become a notification',
    description: 'Stream records and intake messages rejected with their reason, newest first. They never block their shard or queue.',
  })
  @ApiOkResponse({ type: RejectedEventsPageDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'Invalid query; `details` lists every offending parameter.' })
  list(@Query() query: RejectedEventsQueryDto): Promise<RejectedEventsPageDto> {
    return this.listRejectedEvents.execute(query);
  }
}
