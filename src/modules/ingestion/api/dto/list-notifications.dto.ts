import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { CHANNELS, type Channel } from '../../../../domain/notification/channel';
import { PageLimit } from '../../../../infrastructure/http/page-limit';
import { LISTABLE_STATUSES, NOTIFICATION_STATUSES, type ListableStatus, type NotificationStatus } from '../../../../domain/notification/notification-status';

export class ListNotificationsQueryDto {
  @ApiProperty({
    enum: LISTABLE_STATUSES,
    example: 'unknown',
    description: 'Notifications in this status. Settled statuses (sent, delivered, ...) are not listed; look those up by id.',
  })
  @IsIn(LISTABLE_STATUSES, { message: `must be one of ${LISTABLE_STATUSES.join(', ')}` })
  status!: ListableStatus;

  @PageLimit(500, 50)
  limit?: number;

  @ApiPropertyOptional({ example: 'WyIyMDI2LTExLTIwVDEwOjAwOjAwLjEyMzQ1NloiLCIwMTkzYTFiMi03YzRkLTdlOGYtOWEwYi0xYzJkM2U0ZjVhNmIiXQ', description: 'nextCursor of the previous page.' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;
}

export class NotificationListItemDto {
  @ApiProperty({ example: '0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b' }) id!: string;
  @ApiProperty({ enum: CHANNELS, example: 'sms' }) channel!: Channel;
  @ApiProperty({ type: String, nullable: true, example: 'orders' }) category!: string | null;
  @ApiProperty({ type: 'object', properties: { userId: { type: 'string' }, email: { type: 'string' }, phone: { type: 'string' } }, additionalProperties: true, example: { userId: 'u-42', phone: '+14155550100' } }) recipient!: object;
  @ApiProperty({ enum: NOTIFICATION_STATUSES, example: 'unknown' }) status!: NotificationStatus;
  @ApiProperty({ type: String, nullable: true, example: 'twilio_timeout: no answer within 10000 ms after the request was sent' }) statusReason!: string | null;
  @ApiProperty({ example: 1 }) attemptCount!: number;
  @ApiProperty() createdAt!: Date;
  @ApiProperty({ description: 'When it entered its current status; the listing is ordered by it, newest first.' }) updatedAt!: Date;
}

export class NotificationListDto {
  @ApiProperty({ type: [NotificationListItemDto] }) items!: NotificationListItemDto[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page; null on the last page.', example: null }) nextCursor!: string | null;
}
