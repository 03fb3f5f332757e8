import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsObject, IsIn, IsInt, IsNotEmpty, IsNumber, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { INBOX_TOKEN_DEFAULT_LIFETIME_SECONDS, INBOX_TOKEN_MAX_LIFETIME_SECONDS } from '../../../../domain/access/inbox-token';
import { CATEGORY_NAME_PATTERN, PRINTABLE_ID_PATTERN } from '../../../../domain/notification/patterns';
import { INBOX_FILTERS, type InboxFilter } from '../../../../domain/ports/inbox.port';
import { WebPushKeysDto } from '../../../recipients/api/dto/recipient.dto';

export class InboxQueryDto {
  @ApiPropertyOptional({ description: 'From the previous page\'s `nextCursor`.', example: '0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b' })
  @IsOptional()
  @IsUUID('all', { message: 'must be a cursor from a previous page' })
  cursor?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, example: 20, description: 'Items per page (default INBOX_PAGE_SIZE).' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'must be an integer' })
  @Min(1)
  @Max(100)
  limit?: number;

  @ApiPropertyOptional({ example: false, description: 'Include archived items.' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'must be true or false' })
  includeArchived?: boolean;
}

export class InboxItemDto {
  @ApiProperty({ example: '0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b' }) id!: string;
  @ApiProperty({ example: 'u-42' }) userId!: string;
  @ApiProperty({ description: 'The notification this item was delivered for.' }) notificationId!: string;
  @ApiProperty({ example: 'Your order shipped' }) title!: string;
  @ApiProperty({ example: 'Order o-1 is on its way' }) body!: string;
  @ApiProperty({ type: String, nullable: true, example: 'https://shop.example.com/orders/o-1' }) actionUrl!: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'orders' }) category!: string | null;
  @ApiProperty() createdAt!: Date;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) readAt!: Date | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When the user\'s client showed it; reading an item also sees it.' }) seenAt!: Date | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) archivedAt!: Date | null;
  @ApiProperty({
    example: 42,
    description: "The item's place among the user's items, in the order they were stored (each greater than every earlier one): the `id` of its stream event, to send back as `Last-Event-ID`.",
  })
  sequence!: number;
}

export class InboxPageDto {
  @ApiProperty({ type: [InboxItemDto], description: 'Newest first.' }) items!: InboxItemDto[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next (older) page; null on the last page.' }) nextCursor!: string | null;
  @ApiProperty({ example: 3, description: 'Unread, unarchived items of the user.' }) unreadCount!: number;
}

export class MarkAllReadResultDto {
  @ApiProperty({ example: 3, description: 'How many items were unread.' }) updated!: number;
}

export class UserInboxQueryDto {
  @ApiPropertyOptional({ description: 'From the previous page\'s `nextCursor`.', example: '41' })
  @IsOptional()
  @Matches(/^[1-9]\d{0,17}$/, { message: 'must be a cursor from a previous page' })
  cursor?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, example: 20, description: 'Items per page (default INBOX_PAGE_SIZE).' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'must be an integer' })
  @Min(1)
  @Max(100)
  limit?: number;

  @ApiPropertyOptional({
    enum: INBOX_FILTERS,
    default: 'all',
    example: 'unread',
    description: '`all`, `unread` and `unseen` leave archived items out; `archived` lists only them.',
  })
  @IsOptional()
  @IsIn(INBOX_FILTERS, { message: `must be one of ${INBOX_FILTERS.join(', ')}` })
  filter?: InboxFilter;

  @ApiPropertyOptional({ example: 'orders', description: 'Only items of this category.' })
  @IsOptional()
  @Matches(CATEGORY_NAME_PATTERN, { message: 'must be a category name: 1-64 lower-case letters, digits, ".", "_" or "-"' })
  category?: string;
}

export class UserInboxPageDto {
  @ApiProperty({ type: [InboxItemDto], description: 'Newest first.' }) items!: InboxItemDto[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` (with the same filter) for the next, older page; null on the last page.' }) nextCursor!: string | null;
}

export class InboxCountsDto {
  @ApiProperty({ example: 3, description: 'Unarchived items not read.' }) unread!: number;
  @ApiProperty({ example: 5, description: 'Unarchived items not seen.' }) unseen!: number;
}

export class BulkMarkResultDto {
  @ApiProperty({ example: 3, description: 'How many items changed.' }) updated!: number;
}

export class CreateInboxTokenDto {
  @ApiProperty({ example: 'u-42', description: 'The user whose inbox the token opens: your identifier, as notifications name it.' })
  @IsString()
  @Matches(PRINTABLE_ID_PATTERN, { message: 'must be 1-200 printable ASCII characters without spaces' })
  userId!: string;

  @ApiPropertyOptional({ type: Number, nullable: true, minimum: 1, maximum: INBOX_TOKEN_MAX_LIFETIME_SECONDS, default: INBOX_TOKEN_DEFAULT_LIFETIME_SECONDS, example: 3600, description: 'Absent or null: the default lifetime.' })
  @IsOptional()
  @IsInt({ message: 'must be an integer' })
  @Min(1)
  @Max(INBOX_TOKEN_MAX_LIFETIME_SECONDS)
  expiresInSeconds?: number | null;
}

export class InboxTokenDto {
  @ApiProperty({ example: 'hut1.eyJzdWIiOiJ1LTQyIiwiZXhwIjoxNzY0MDAzNjAwLCJzY29wZSI6ImluYm94In0.c2lnbmF0dXJl', description: 'Send as `Authorization: Bearer <token>` to /v1/inbox.' })
  token!: string;
  @ApiProperty({ description: 'After this the token is refused (401 `user_token_expired`).' }) expiresAt!: Date;
}

export class WebPushKeyDto {
  @ApiProperty({ example: 'BEl62iUYgUivxIkv69yViEuiBIa-Ib9-SkvMeAtA3LFgDzkrxZJjSgSnfckjBJuBkr3qBUYIHBQFLXYp5Nksh8U', description: 'The VAPID public key (base64url): pass as `applicationServerKey` to pushManager.subscribe().' })
  publicKey!: string;
}

export class WebPushSubscriptionDto {
  @ApiProperty({ example: 'https://fcm.googleapis.com/fcm/send/dQ8yvH1P2f0:APA91bExample', description: 'The push service URL (https, a public address).' })
  @IsString()
  @IsNotEmpty({ message: 'must not be empty' })
  @MaxLength(4096)
  endpoint!: string;

  @ApiPropertyOptional({ type: Number, nullable: true, example: null, description: 'As PushSubscription.toJSON() gives it; not used.' })
  @IsOptional()
  @IsNumber({}, { message: 'must be a number or null' })
  expirationTime?: number | null;

  @ApiProperty({ type: WebPushKeysDto })
  @IsObject({ message: 'must be the subscription keys: { p256dh, auth }' })
  @ValidateNested()
  @Type(() => WebPushKeysDto)
  keys!: WebPushKeysDto;
}

export class RemoveWebPushSubscriptionDto {
  @ApiProperty({ example: 'https://fcm.googleapis.com/fcm/send/dQ8yvH1P2f0:APA91bExample' })
  @IsString()
  @IsNotEmpty({ message: 'must not be empty' })
  @MaxLength(4096)
  endpoint!: string;
}
