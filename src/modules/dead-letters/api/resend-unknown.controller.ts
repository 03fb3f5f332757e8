import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiBody, ApiForbiddenResponse, ApiOkResponse, ApiOperation, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { AuthenticatedRequest } from '../../access/api/api-key.guard';
import { RequireScope } from '../../access/api/auth.decorators';
import { ErrorResponseDto } from '../../../infrastructure/http/error-response.dto';
import { ResendUnknownNotifications } from '../application/resend-unknown-notifications.use-case';
import { RESEND_UNKNOWN_EXAMPLES, ResendUnknownDto, ResendUnknownResultDto } from './dto/dead-letters.dto';

@ApiTags('notifications')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ type: ErrorResponseDto, description: 'No API key, or an unknown or revoked one.' })
@ApiForbiddenResponse({ type: ErrorResponseDto, description: 'The API key lacks the admin scope.' })
@Controller('v1/notifications')
export class ResendUnknownController {
  constructor(private readonly resendUnknown: ResendUnknownNotifications) {}

  @Post('resend')
  @RequireScope('admin')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Send unknown notifications again, accepting that a recipient may get one twice',
    description:
      'Only notifications in status unknown are resent, and only with "acceptDuplicateRisk": true. Each moves unknown -> queued (its history names the API key ' +
      'that asked) and is sent through the outbox like a new one; any other named notification is reported and left unchanged. ' +
      'A resend that moved any is recorded in the audit log (`notifications.resent`, with the ids).',
  })
  @ApiBody({ type: ResendUnknownDto, examples: RESEND_UNKNOWN_EXAMPLES })
  @ApiOkResponse({ type: ResendUnknownResultDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'acceptDuplicateRisk is not true (the message explains the risk), or the ids are not UUIDs.' })
  resend(@Body() body: ResendUnknownDto, @Req() req: AuthenticatedRequest): Promise<ResendUnknownResultDto> {
    return this.resendUnknown.execute({ ids: body.ids, acceptDuplicateRisk: body.acceptDuplicateRisk === true }, req.principal!.id);
  }
}
