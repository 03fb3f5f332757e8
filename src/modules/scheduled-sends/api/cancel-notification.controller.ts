import { Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { AuthenticatedRequest } from '../../access/api/api-key.guard';
import { RequireScope } from '../../access/api/auth.decorators';
import { ErrorResponseDto } from '../../../infrastructure/http/error-response.dto';
import { CancelNotification } from '../application/cancel-notification.use-case';

export class CancelledNotificationDto {
  @ApiProperty({ example: '0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b' }) id!: string;
  @ApiProperty({ example: 'cancelled', enum: ['cancelled'] }) status!: 'cancelled';
}

@ApiTags('notifications')
@Controller('v1/notifications')
export class CancelNotificationController {
  constructor(private readonly cancelNotification: CancelNotification) {}

  @Post(':id/cancel')
  @HttpCode(200)
  @RequireScope('notifications:write')
  @ApiOperation({ summary: 'Cancel a notification that is scheduled, or queued and not yet being sent', description: 'A notification a worker holds, or one already sent or failed, cannot be cancelled (409). 404 when no notification has this id.' })
  @ApiOkResponse({ type: CancelledNotificationDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'notification_not_cancellable: it is being sent or already settled.' })
  cancel(@Param('id') id: string, @Req() req: AuthenticatedRequest): Promise<CancelledNotificationDto> {
    return this.cancelNotification.execute({ id, by: `api:${req.principal!.id}` });
  }
}
