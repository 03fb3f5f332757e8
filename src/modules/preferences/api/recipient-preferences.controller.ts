import { Body, Controller, Get, Param, Post, Put, Req } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiCreatedResponse, ApiForbiddenResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { AuthenticatedRequest } from '../../access/api/api-key.guard';
import { RequireScope } from '../../access/api/auth.decorators';
import { ErrorResponseDto } from '../../../infrastructure/http/error-response.dto';
import { checkUserId } from '../../recipients/api/user-id';
import { CreatePreferenceLink } from '../application/create-preference-link.use-case';
import { GetPreferences } from '../application/get-preferences.use-case';
import { UpdatePreferences } from '../application/update-preferences.use-case';
import { PreferenceLinkDto, PreferencesDto, PutPreferencesDto } from './dto/preferences.dto';

@ApiTags('preferences')
@Controller('v1/recipients/:userId')
export class RecipientPreferencesController {
  constructor(
    private readonly getPreferences: GetPreferences,
    private readonly updatePreferences: UpdatePreferences,
    private readonly createPreferenceLink: CreatePreferenceLink,
  ) {}

  @ApiParam({ name: 'userId', example: 'u-42' })
  @Get('preferences')
  @RequireScope('notifications:read')
  @ApiOperation({ summary: "A user's choices, opt-outs and what they mean for every category and channel", description: 'What the user chose per category and channel, the channels they opted out of entirely, and the resulting effective setting for every declared category and channel.' })
  @ApiOkResponse({ type: PreferencesDto })
  get(@Param('userId') userId: string): Promise<PreferencesDto> {
    return this.getPreferences.execute({ userId: checkUserId(userId) });
  }

  @ApiParam({ name: 'userId', example: 'u-42' })
  @Put('preferences')
  @RequireScope('notifications:write')
  @ApiOperation({ summary: "Replace a user's choices and channel opt-outs", description: 'Checked when each notification is sent: a stopped one ends `suppressed` with the reason. A change is recorded in the audit log (`preferences.changed`); the same PUT again is not.' })
  @ApiOkResponse({ type: PreferencesDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  put(@Param('userId') userId: string, @Body() body: PutPreferencesDto, @Req() req: AuthenticatedRequest): Promise<PreferencesDto> {
    return this.updatePreferences.execute({ userId: checkUserId(userId), categories: body.categories, optedOutChannels: body.optedOutChannels, actor: { keyId: req.principal!.id } });
  }

  @ApiParam({ name: 'userId', example: 'u-42' })
  @Post('preference-link')
  @RequireScope('notifications:write')
  @ApiOperation({ summary: 'A signed, expiring link to the hosted preference page of this user (no login needed)', description: 'Put the link in an email or an app: whoever holds it can change this user\'s preferences until it expires.' })
  @ApiCreatedResponse({ type: PreferenceLinkDto })
  link(@Param('userId') userId: string): PreferenceLinkDto {
    return this.createPreferenceLink.execute({ userId: checkUserId(userId) });
  }
}
