import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiForbiddenResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { RequireScope } from '../../access/api/auth.decorators';
import { ErrorResponseDto } from '../../../infrastructure/http/error-response.dto';
import { GetRecipient } from '../application/get-recipient.use-case';
import { SaveRecipient } from '../application/save-recipient.use-case';
import { PutRecipientDto, RecipientResponseDto } from './dto/recipient.dto';
import { checkUserId } from './user-id';

@ApiTags('recipients')
@Controller('v1/recipients')
export class RecipientsController {
  constructor(
    private readonly saveRecipient: SaveRecipient,
    private readonly getRecipient: GetRecipient,
  ) {}

  @ApiParam({ name: 'userId', example: 'u-42', description: 'Your identifier for the user.' })
  @Put(':userId')
  @RequireScope('notifications:write')
  @ApiOperation({
    summary: 'Create or replace a recipient profile',
    description:
      'Notifications may then name the userId alone; addresses are looked up when they are sent. Fields left out are cleared. ' +
      'Device tokens and chat URLs are write-only: reads return them masked, and a masked value sent back (read-modify-write) keeps the stored secret it masks.',
  })
  @ApiOkResponse({ type: RecipientResponseDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: '`details` names every invalid field.' })
  put(@Param('userId') userId: string, @Body() body: PutRecipientDto): Promise<RecipientResponseDto> {
    return this.saveRecipient.execute({
      userId: checkUserId(userId),
      email: body.email ?? null,
      phone: body.phone ?? null,
      locale: body.locale ?? null,
      timezone: body.timezone ?? null,
      deviceTokens: (body.deviceTokens ?? []).map((t) => ({ token: t.token, platform: t.platform, ...(t.keys ? { keys: { p256dh: t.keys.p256dh, auth: t.keys.auth } } : {}) })),
      chatDestinations: (body.chatDestinations ?? []).map((d) => ({ type: d.type, url: d.url, enabled: d.enabled })),
      attributes: body.attributes ?? {},
    });
  }

  @ApiParam({ name: 'userId', example: 'u-42', description: 'Your identifier for the user.' })
  @Get(':userId')
  @RequireScope('notifications:read')
  @ApiOperation({ summary: 'A recipient profile', description: 'The stored profile. Device tokens and chat destination URLs are returned masked. 404 when no profile exists for this user id.' })
  @ApiOkResponse({ type: RecipientResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  get(@Param('userId') userId: string): Promise<RecipientResponseDto> {
    return this.getRecipient.execute({ userId: checkUserId(userId) });
  }
}
