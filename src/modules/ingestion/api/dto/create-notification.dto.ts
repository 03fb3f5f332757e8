import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  IsArray,
  IsDefined,
  IsEmail,
  IsIn,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsPhoneNumber,
  IsString,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { CHANNELS, type Channel } from '../../../../domain/notification/channel';
import { ChatContentDto, ChatDestinationDto, DeviceTokenDto, InAppContentDto, PushContentDto, SmsContentDto, WebPushContentDto } from './channel-content.dto';

export class RecipientDto {
  @ApiPropertyOptional({ example: 'u-42', description: 'Your identifier for the user; used to keep one notification per user and channel.' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  userId?: string;

  @ApiPropertyOptional({ example: 'ada@example.com', description: 'Required for the email channel.' })
  @IsOptional()
  @IsEmail({}, { message: 'must be a valid email address' })
  @MaxLength(254)
  email?: string;

  @ApiPropertyOptional({ example: '+14155550100', description: 'E.164 phone number.' })
  @IsOptional()
  @Matches(/^\+[1-9]\d{6,14}$/, { message: 'must be an E.164 phone number such as +14155550100' })
  @IsPhoneNumber(undefined, { message: 'is not a valid phone number' })
  phone?: string;

  @ApiPropertyOptional({ type: [DeviceTokenDto], description: 'Push and web push targets; without them the stored profile of userId is used.' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => DeviceTokenDto)
  deviceTokens?: DeviceTokenDto[];

  @ApiPropertyOptional({ type: [ChatDestinationDto], description: 'Chat targets; without them the stored profile of userId is used.' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => ChatDestinationDto)
  chatDestinations?: ChatDestinationDto[];
}

export class EmailContentDto {
  @ApiProperty({ example: 'Your order shipped', maxLength: 998 })
  @IsString()
  @IsNotEmpty({ message: 'must not be empty' })
  @MaxLength(998)
  subject!: string;

  @ApiPropertyOptional({ example: 'Order o-1 is on its way', description: 'Plain-text body. At least one of text and html is required.' })
  @IsOptional()
  @IsString()
  @MaxLength(1_000_000)
  text?: string;

  @ApiPropertyOptional({ example: '<p>Order o-1 is on its way</p>' })
  @IsOptional()
  @IsString()
  @MaxLength(1_000_000)
  html?: string;
}

export class ContentDto {
  @ApiPropertyOptional({ type: EmailContentDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => EmailContentDto)
  email?: EmailContentDto;

  @ApiPropertyOptional({ type: SmsContentDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => SmsContentDto)
  sms?: SmsContentDto;

  @ApiPropertyOptional({ type: PushContentDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => PushContentDto)
  push?: PushContentDto;

  @ApiPropertyOptional({ type: WebPushContentDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => WebPushContentDto)
  webpush?: WebPushContentDto;

  @ApiPropertyOptional({ type: ChatContentDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => ChatContentDto)
  chat?: ChatContentDto;

  @ApiPropertyOptional({ type: InAppContentDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => InAppContentDto)
  inapp?: InAppContentDto;
}

export class CreateNotificationDto {
  @ApiProperty({ type: RecipientDto })
  @IsDefined({ message: 'is required' })
  @ValidateNested()
  @Type(() => RecipientDto)
  recipient!: RecipientDto;

  @ApiProperty({ enum: CHANNELS, isArray: true, example: ['email'] })
  @IsArray()
  @ArrayNotEmpty({ message: 'must name at least one channel' })
  @ArrayMaxSize(CHANNELS.length)
  @IsIn(CHANNELS, { each: true, message: `must contain only known channels: ${CHANNELS.join(', ')}` })
  channels!: Channel[];

  @ApiProperty({ type: ContentDto, description: 'Content per channel named in `channels`.' })
  @IsDefined({ message: 'is required' })
  @ValidateNested()
  @Type(() => ContentDto)
  content!: ContentDto;

  @ApiPropertyOptional({ example: 'orders', description: 'Lower-case name used for preferences and reporting.' })
  @IsOptional()
  @Matches(/^[a-z0-9][a-z0-9_.-]{0,63}$/, { message: 'must be 1-64 lower-case letters, digits, ".", "_" or "-"' })
  category?: string;

  @ApiPropertyOptional({ example: { orderId: 'o-1' }, description: 'Free-form data kept with the notification and returned by GET.' })
  @IsOptional()
  @IsObject()
  metadata?: Record<string, unknown>;
}

export class BatchItemDto extends CreateNotificationDto {
  @ApiPropertyOptional({
    example: 'order-o-1-shipped',
    description: 'Idempotency key of this item. Defaults to "<Idempotency-Key header>:<index>" when the header is sent.',
  })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  idempotencyKey?: string;
}

export class CreateNotificationBatchDto {
  @ApiProperty({ type: [BatchItemDto], maxItems: 1000 })
  @IsArray()
  @ArrayNotEmpty({ message: 'must contain at least one item' })
  @ArrayMaxSize(1000, { message: 'must contain at most 1000 items' })
  @ValidateNested({ each: true })
  @Type(() => BatchItemDto)
  items!: BatchItemDto[];
}
