import { Body, Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiBody,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { ValidationFailedError } from '../../../domain/errors/domain-errors';
import { DELIVERABLE_CHANNELS, type Channel } from '../../../domain/notification/channel';
import type { FailedNotificationFilter } from '../../../domain/ports/failed-notifications.port';
import type { AuthenticatedRequest } from '../../access/api/api-key.guard';
import { RequireScope } from '../../access/api/auth.decorators';
import { ErrorResponseDto } from '../../../infrastructure/http/error-response.dto';
import { ListDeadLetters } from '../application/list-dead-letters.use-case';
import { ListFailedNotifications } from '../application/list-failed-notifications.use-case';
import { RedriveDeadLetters } from '../application/redrive-dead-letters.use-case';
import { RedriveFailedNotifications, type RedriveFailedInput } from '../application/redrive-failed-notifications.use-case';
import {
  DeadLetterListDto,
  DeadLetterRedriveResultDto,
  FailedNotificationListDto,
  ListDeadLettersQueryDto,
  ListFailedQueryDto,
  REDRIVE_DEAD_LETTERS_EXAMPLES,
  REDRIVE_FAILED_EXAMPLES,
  RedriveDeadLettersDto,
  RedriveFailedDto,
  RedriveFailedResultDto,
  type FailedNotificationFilterDto,
} from './dto/dead-letters.dto';

@ApiTags('dead letters')
@ApiBadRequestResponse({ type: ErrorResponseDto, description: 'Invalid filter or selection.' })
@Controller('v1')
export class DeadLettersController {
  constructor(
    private readonly listFailed: ListFailedNotifications,
    private readonly redriveFailed: RedriveFailedNotifications,
    private readonly listDeadLetters: ListDeadLetters,
    private readonly redriveDeadLetters: RedriveDeadLetters,
  ) {}

  @Get('failed-notifications')
  @RequireScope('admin')
  @ApiOperation({ summary: 'Failed notifications with their last error, newest first', description: 'Notifications in status failed, filtered by channel, category, error code and time, newest first.' })
  @ApiOkResponse({ type: FailedNotificationListDto })
  async failed(@Query() query: ListFailedQueryDto): Promise<FailedNotificationListDto> {
    return { items: await this.listFailed.execute({ filter: filterOf(query), limit: query.limit ?? 100 }) };
  }

  @Post('failed-notifications/redrive')
  @RequireScope('admin')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Send failed notifications again: named ones, a filter, or all',
    description:
      'Give exactly one of ids, filter or all. Each notification moves failed -> queued and is sent again; its earlier attempts stay on record. ' +
      'A redrive that moved any is recorded in the audit log (`notifications.redriven`, with the ids).',
  })
  @ApiBody({ type: RedriveFailedDto, examples: REDRIVE_FAILED_EXAMPLES })
  @ApiOkResponse({ type: RedriveFailedResultDto })
  redrive(@Body() body: RedriveFailedDto, @Req() req: AuthenticatedRequest): Promise<RedriveFailedResultDto> {
    // null, which the validation lets through for an optional field, counts as left out (not as "everything").
    const given = [body.ids != null, body.filter != null, body.all === true].filter(Boolean).length;
    if (given !== 1) throw new ValidationFailedError([{ field: 'body', reason: 'must give exactly one of ids, filter or "all": true' }]);
    const input: RedriveFailedInput = body.ids ? { ids: body.ids } : body.filter ? { filter: filterOf(body.filter) } : { all: true };
    return this.redriveFailed.execute(input, req.principal!.id);
  }

  @Get('dead-letters/:channel')
  @RequireScope('admin')
  @ApiOperation({ summary: "Messages in a channel queue's dead-letter queue, with the notification each names", description: 'Messages no worker could handle within the queue\'s receive limit, with the notification each names; redrive them with POST /v1/dead-letters/{channel}/redrive.' })
  @ApiParam({ name: 'channel', enum: DELIVERABLE_CHANNELS })
  @ApiOkResponse({ type: DeadLetterListDto })
  async deadLetters(@Param('channel') channel: string, @Query() query: ListDeadLettersQueryDto): Promise<DeadLetterListDto> {
    return { items: await this.listDeadLetters.execute({ channel: channelOf(channel), limit: query.limit ?? 50 }) };
  }

  @Post('dead-letters/:channel/redrive')
  @RequireScope('admin')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Move dead-lettered messages back to the channel queue: named ones or all',
    description:
      'Give messageIds or "all": true. Poison messages (naming no notification) stay in the dead-letter queue and are counted. ' +
      'A redrive that moved any message is recorded in the audit log (`dead_letters.redriven`).',
  })
  @ApiParam({ name: 'channel', enum: DELIVERABLE_CHANNELS })
  @ApiBody({ type: RedriveDeadLettersDto, examples: REDRIVE_DEAD_LETTERS_EXAMPLES })
  @ApiOkResponse({ type: DeadLetterRedriveResultDto })
  redriveLetters(@Param('channel') channel: string, @Body() body: RedriveDeadLettersDto, @Req() req: AuthenticatedRequest): Promise<DeadLetterRedriveResultDto> {
    // As above: messageIds null is left out, not "all".
    if ((body.messageIds != null) === (body.all === true)) {
      throw new ValidationFailedError([{ field: 'body', reason: 'must give exactly one of messageIds or "all": true' }]);
    }
    return this.redriveDeadLetters.execute({ channel: channelOf(channel), messageIds: body.messageIds ?? null }, req.principal!.id);
  }
}

function channelOf(value: string): Channel {
  const channel = DELIVERABLE_CHANNELS.find((c) => c === value);
  if (!channel) throw new ValidationFailedError([{ field: 'channel', reason: `must be one of ${DELIVERABLE_CHANNELS.join(', ')}` }]);
  return channel;
}

function filterOf(dto: FailedNotificationFilterDto): FailedNotificationFilter {
  return {
    channel: dto.channel,
    category: dto.category,
    errorCode: dto.errorCode,
    failedAfter: dto.failedAfter ? new Date(dto.failedAfter) : undefined,
    failedBefore: dto.failedBefore ? new Date(dto.failedBefore) : undefined,
  };
}
