import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayNotEmpty, IsArray, IsBoolean, IsIn, IsISO8601, IsOptional, IsString, IsUUID, MaxLength, ValidateNested } from 'class-validator';
import { CHANNELS, type Channel } from '../../../../domain/notification/channel';
import { NOTIFICATION_STATUSES, type NotificationStatus } from '../../../../domain/notification/notification-status';
import { PageLimit } from '../../../../infrastructure/http/page-limit';

export class FailedNotificationFilterDto {
  @ApiPropertyOptional({ nullable: true, enum: CHANNELS, example: 'email' })
  @IsOptional()
  @IsIn(CHANNELS)
  channel?: Channel;

  @ApiPropertyOptional({ nullable: true, example: 'orders' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  category?: string;

  @ApiPropertyOptional({ nullable: true, example: 'smtp_550', description: "The last attempt's error code." })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  errorCode?: string;

  @ApiPropertyOptional({ nullable: true, example: '2026-11-20T00:00:00Z', description: 'Failed after this time.' })
  @IsOptional()
  @IsISO8601()
  failedAfter?: string;

  @ApiPropertyOptional({ nullable: true, example: '2026-11-21T00:00:00Z', description: 'Failed before this time (also: continue a listing from its last item).' })
  @IsOptional()
  @IsISO8601()
  failedBefore?: string;
}

export class ListFailedQueryDto extends FailedNotificationFilterDto {
  @PageLimit(500, 100)
  limit?: number;
}

export class LastErrorDto {
  @ApiProperty({ type: String, example: 'smtp_550', nullable: true }) code!: string | null;
  @ApiProperty({ type: String, example: '550 5.1.1 mailbox unavailable', nullable: true }) message!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) at!: Date | null;
}

export class FailedNotificationDto {
  @ApiProperty({ example: '0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b' }) id!: string;
  @ApiProperty({ enum: CHANNELS }) channel!: Channel;
  @ApiProperty({ type: String, example: 'orders', nullable: true }) category!: string | null;
  @ApiProperty({ type: 'object', properties: { userId: { type: 'string' }, email: { type: 'string' }, phone: { type: 'string' } }, additionalProperties: true, example: { userId: 'u-42', email: 'ada@example.com' } }) recipient!: object;
  @ApiProperty({ type: String, example: 'smtp_550: 550 5.1.1 mailbox unavailable', nullable: true }) reason!: string | null;
  @ApiProperty({ example: 1 }) attemptCount!: number;
  @ApiProperty({ type: LastErrorDto, nullable: true }) lastError!: LastErrorDto | null;
  @ApiProperty() failedAt!: Date;
}

export class FailedNotificationListDto {
  @ApiProperty({ type: [FailedNotificationDto] }) items!: FailedNotificationDto[];
}

export class RedriveFailedDto {
  @ApiPropertyOptional({ nullable: true, type: [String], example: ['0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b'], description: 'Redrive these notifications.' })
  @IsOptional()
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(1000)
  @IsUUID('all', { each: true })
  ids?: string[];

  @ApiPropertyOptional({ nullable: true, type: FailedNotificationFilterDto, description: 'Redrive every failed notification matching this filter.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => FailedNotificationFilterDto)
  filter?: FailedNotificationFilterDto;

  @ApiPropertyOptional({ nullable: true, example: true, description: 'Redrive every failed notification.' })
  @IsOptional()
  @IsBoolean()
  all?: boolean;
}

export class RedriveFailedResultDto {
  @ApiProperty({ example: 1 }) redriven!: number;
  @ApiProperty({ type: [String], description: 'The notifications now queued again.' }) ids!: string[];
}

export class DeadLetterNotificationDto {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: NOTIFICATION_STATUSES }) status!: NotificationStatus;
  @ApiProperty({ type: String, nullable: true }) reason!: string | null;
}

export class DeadLetterDto {
  @ApiProperty({ example: '5fea7756-0ea4-451a-a703-a558b933e274' }) messageId!: string;
  @ApiProperty({ example: '{"channel":"email","notificationIds":["0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b"]}' }) body!: string;
  @ApiProperty({ example: 5 }) receiveCount!: number;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) sentAt!: Date | null;
  @ApiProperty({ type: [String], description: 'The notifications the message names; empty for a poison message.' }) notificationIds!: string[];
  @ApiProperty({ type: [DeadLetterNotificationDto], description: 'The current state of each of those notifications.' }) notifications!: DeadLetterNotificationDto[];
}

export class DeadLetterListDto {
  @ApiProperty({ type: [DeadLetterDto] }) items!: DeadLetterDto[];
}

export class ListDeadLettersQueryDto {
  @PageLimit(200, 50)
  limit?: number;
}

export class RedriveDeadLettersDto {
  @ApiPropertyOptional({ nullable: true, type: [String], example: ['5fea7756-0ea4-451a-a703-a558b933e274'], description: 'Redrive these messages (ids from the listing).' })
  @IsOptional()
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(1000)
  @IsString({ each: true })
  messageIds?: string[];

  @ApiPropertyOptional({ nullable: true, example: true, description: 'Redrive every message in the dead-letter queue.' })
  @IsOptional()
  @IsBoolean()
  all?: boolean;
}

export class DeadLetterRedriveResultDto {
  @ApiProperty({ example: 3, description: 'Messages moved back to the channel queue.' }) redriven!: number;
  @ApiProperty({ example: 1, description: 'Selected messages that name no notification; they stay in the dead-letter queue.' }) poison!: number;
}

/** Request examples of POST /v1/failed-notifications/redrive: exactly one of ids, filter or all. */
export const REDRIVE_FAILED_EXAMPLES = {
  ids: { summary: 'Named notifications', value: { ids: ['0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b'] } },
  filter: {
    summary: 'Every failed notification matching a filter',
    value: { filter: { channel: 'email', category: 'orders', errorCode: 'smtp_550', failedAfter: '2026-11-20T00:00:00Z', failedBefore: '2026-11-21T00:00:00Z' } },
  },
  all: { summary: 'Every failed notification', value: { all: true } },
};

/** Request examples of POST /v1/dead-letters/{channel}/redrive: messageIds or all. */
export const REDRIVE_DEAD_LETTERS_EXAMPLES = {
  messageIds: { summary: 'Named messages', value: { messageIds: ['5fea7756-0ea4-451a-a703-a558b933e274'] } },
  all: { summary: 'Every message in the dead-letter queue', value: { all: true } },
};

export class ResendUnknownDto {
  @ApiProperty({ type: [String], example: ['0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b'], description: 'The unknown notifications to send again (ids from GET /v1/notifications?status=unknown).' })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(1000)
  @IsUUID('all', { each: true })
  ids!: string[];

  @ApiProperty({
    type: Boolean,
    nullable: true,
    example: true,
    description: 'Must be true. The provider may already have delivered an unknown notification; resending it may deliver it twice.',
  })
  @IsOptional()
  @IsBoolean()
  acceptDuplicateRisk?: boolean;
}

export class ResendItemDto {
  @ApiProperty({ example: '0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b' }) id!: string;
  @ApiProperty({ enum: ['resent', 'not_resendable', 'not_found'], description: 'resent: queued again; not_resendable: not unknown, left unchanged.' })
  outcome!: 'resent' | 'not_resendable' | 'not_found';
  @ApiPropertyOptional({ enum: NOTIFICATION_STATUSES, example: 'queued', description: 'Its status now (absent when not found).' }) status?: NotificationStatus;
  @ApiPropertyOptional({ example: 'only unknown notifications can be resent; this one is sent' }) reason?: string;
}

export class ResendUnknownResultDto {
  @ApiProperty({ example: 1 }) resent!: number;
  @ApiProperty({ type: [ResendItemDto], description: 'One entry per named notification, in the order given (repeated ids once).' }) items!: ResendItemDto[];
}

/** Request examples of POST /v1/notifications/resend. */
export const RESEND_UNKNOWN_EXAMPLES = {
  resend: { summary: 'Resend named unknown notifications, accepting a possible duplicate', value: { ids: ['0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b'], acceptDuplicateRisk: true } },
};
