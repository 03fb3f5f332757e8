import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, type ApiPropertyOptions } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { CHANNELS, type Channel } from '../../../../domain/notification/channel';
import { PageLimit } from '../../../../infrastructure/http/page-limit';
import { NOTIFICATION_STATUSES, type NotificationStatus } from '../../../../domain/notification/notification-status';

/** An optional text filter of at most `maxLength` characters. */
function TextFilter(maxLength: number, doc: ApiPropertyOptions): PropertyDecorator {
  return applyDecorators(ApiPropertyOptional(doc), IsOptional(), IsString(), MaxLength(maxLength));
}

const METADATA_PAIRS = /^[^=,]{1,100}=[^,]{0,500}(,[^=,]{1,100}=[^,]{0,500}){0,9}$/;

/** The activity feed's filters; every one given must match. */
export class ListNotificationsQueryDto {
  @TextFilter(200, { example: 'u-42', description: 'Sent to this user id (recipient.userId).' })
  userId?: string;

  @TextFilter(320, { example: 'ada@example.com', description: 'Sent to this email address (recipient.email), exactly as given at intake.' })
  email?: string;

  @TextFilter(32, { example: '+14155550100', description: 'Sent to this phone number (recipient.phone, E.164).' })
  phone?: string;

  @ApiPropertyOptional({ enum: NOTIFICATION_STATUSES, example: 'unknown', description: 'In this status now.' })
  @IsOptional()
  @IsIn(NOTIFICATION_STATUSES, { message: `must be one of ${NOTIFICATION_STATUSES.join(', ')}` })
  status?: NotificationStatus;

  @ApiPropertyOptional({ enum: CHANNELS, example: 'email' })
  @IsOptional()
  @IsIn(CHANNELS, { message: `must be one of ${CHANNELS.join(', ')}` })
  channel?: Channel;

  @TextFilter(200, { example: 'orders' })
  category?: string;

  @TextFilter(100, { example: 'twilio', description: 'The provider that handled its last attempt.' })
  provider?: string;

  @TextFilter(200, { example: 'order-shipped', description: 'Rendered from this template.' })
  template?: string;

  @TextFilter(200, { example: 'author:a-7', description: 'Created by a fan-out to this topic.' })
  topic?: string;

  @ApiPropertyOptional({ example: '0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b', description: 'Created by this fan-out (the fanoutId answered by POST /v1/topics/{key}/notifications).' })
  @IsOptional()
  @IsUUID('all')
  fanoutId?: string;

  @TextFilter(200, { example: 'order-1042-shipped', description: 'Accepted with this Idempotency-Key (under any API key).' })
  idempotencyKey?: string;

  @ApiPropertyOptional({
    example: 'orderId=1042,tenant=acme',
    description: 'Up to 10 `key=value` pairs, comma-separated: the notification\'s metadata holds every one, with that string value.',
  })
  @IsOptional()
  @IsString()
  @Matches(METADATA_PAIRS, { message: 'must be key=value pairs separated by commas (up to 10; keys of 1 to 100 characters; no "=" in keys, no "," anywhere)' })
  metadata?: string;

  @ApiPropertyOptional({ example: '2026-11-30T00:00:00Z', description: 'Created at or after this time.' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'must be an ISO 8601 date-time such as 2026-11-30T00:00:00Z' })
  createdFrom?: string;

  @ApiPropertyOptional({ example: '2026-12-01T00:00:00Z', description: 'Created before this time.' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'must be an ISO 8601 date-time such as 2026-12-01T00:00:00Z' })
  createdTo?: string;

  @PageLimit(500, 50)
  limit?: number;

  @TextFilter(200, { example: 'WyIyMDI2LTExLTIwVDEwOjAwOjAwLjEyMzQ1NloiLCIwMTkzYTFiMi03YzRkLTdlOGYtOWEwYi0xYzJkM2U0ZjVhNmIiXQ', description: 'nextCursor of the previous page (with the same filters).' })
  cursor?: string;
}

export class NotificationListItemDto {
  @ApiProperty({ example: '0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b' }) id!: string;
  @ApiProperty({ enum: CHANNELS, example: 'sms' }) channel!: Channel;
  @ApiProperty({ type: String, nullable: true, example: 'orders' }) category!: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'order-shipped', description: 'The template it was rendered from; null for literal content.' }) template!: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'twilio', description: 'The provider of its last attempt; null before any.' }) provider!: string | null;
  @ApiProperty({ type: 'object', properties: { userId: { type: 'string' }, email: { type: 'string' }, phone: { type: 'string' } }, additionalProperties: true, example: { userId: 'u-42', phone: '+14155550100' } }) recipient!: object;
  @ApiProperty({ type: 'object', additionalProperties: true, example: { orderId: '1042' } }) metadata!: object;
  @ApiProperty({ enum: NOTIFICATION_STATUSES, example: 'unknown' }) status!: NotificationStatus;
  @ApiProperty({ type: String, nullable: true, example: 'twilio_timeout: no answer within 10000 ms after the request was sent' }) statusReason!: string | null;
  @ApiProperty({ example: 1 }) attemptCount!: number;
  @ApiProperty({ description: 'When it was accepted; the feed is ordered by it (then id), newest first.' }) createdAt!: Date;
  @ApiProperty({ description: 'When it entered its current status.' }) updatedAt!: Date;
}

export class NotificationListDto {
  @ApiProperty({ type: [NotificationListItemDto] }) items!: NotificationListItemDto[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page; null on the last page.', example: null }) nextCursor!: string | null;
}
