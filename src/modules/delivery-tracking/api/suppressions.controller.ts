import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { ValidationFailedError } from '../../../domain/errors/domain-errors';
import type { Channel } from '../../../domain/notification/channel';
import type { AuthenticatedRequest } from '../../access/api/api-key.guard';
import { RequireScope } from '../../access/api/auth.decorators';
import { ErrorResponseDto } from '../../../infrastructure/http/error-response.dto';
import { AddSuppression, ListSuppressions, RemoveSuppression } from '../application/manage-suppressions.use-case';
import { AddSuppressionDto, AddSuppressionResultDto, ListSuppressionsQueryDto, SuppressionListDto } from './dto/delivery-tracking.dto';

@ApiTags('delivery tracking')
@ApiBadRequestResponse({ type: ErrorResponseDto })
@RequireScope('admin')
@Controller('v1/suppressions')
export class SuppressionsController {
  constructor(
    private readonly listSuppressions: ListSuppressions,
    private readonly addSuppression: AddSuppression,
    private readonly removeSuppression: RemoveSuppression,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Addresses Herald will not send to (hard bounces, complaints, manual entries), newest first', description: 'Filtered by channel and address, newest first.' })
  @ApiOkResponse({ type: SuppressionListDto })
  async list(@Query() query: ListSuppressionsQueryDto): Promise<SuppressionListDto> {
    return { items: await this.listSuppressions.execute({ channel: query.channel, address: query.address, limit: query.limit ?? 100 }) };
  }

  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: 'Add an address to the suppression list', description: 'Herald stops sending to the address on this channel. Answers `added: false` when it was already listed.' })
  @ApiOkResponse({ type: AddSuppressionResultDto })
  add(@Body() body: AddSuppressionDto, @Req() req: AuthenticatedRequest): Promise<AddSuppressionResultDto> {
    return this.addSuppression.execute({ channel: body.channel, address: body.address, reason: body.reason ?? 'added by an operator', actorKeyId: req.principal!.id });
  }

  @Delete(':channel/:address')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove an address from the suppression list: Herald sends to it again', description: '404 when the address is not suppressed on this channel.' })
  @ApiParam({ name: 'channel', enum: ['email', 'sms'] })
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'suppression_not_found' })
  async remove(@Param('channel') channel: string, @Param('address') address: string, @Req() req: AuthenticatedRequest): Promise<void> {
    if (channel !== 'email' && channel !== 'sms') throw new ValidationFailedError([{ field: 'channel', reason: 'must be email or sms' }]);
    await this.removeSuppression.execute({ channel: channel as Channel, address, actorKeyId: req.principal!.id });
  }
}
