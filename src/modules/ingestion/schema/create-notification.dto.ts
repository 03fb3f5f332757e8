import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  IsArray,
  IsDefined,
  IsEmail,
  IsIn,
  IsISO8601,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsPhoneNumber,
  IsString,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { CHANNELS, type Channel } from '../../../domain/notification/channel';
import { ChatContentDto, ChatDestinationDto, DEVICE_TOKENS_EXAMPLE, DeviceTokenDto, InAppContentDto, PushContentDto, SmsContentDto, WebPushContentDto } from './channel-content.dto';
import { TemplateReferenceDto } from '../../templates/api/dto/template.dto';
import { CATEGORY_NAME_PATTERN } from '../../../domain/notification/patterns';

export class RecipientDto {
  @ApiPropertyOptional({ nullable: true, example: 'u-42', description: 'Your identifier for the user; used to keep one notification per user and channel.' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  userId?: string;

  @ApiPropertyOptional({ nullable: true, example: 'ada@example.com', description: 'Required for the email channel.' })
  @IsOptional()
  @IsEmail({}, { message: 'must be a valid email address' })
  @MaxLength(254)
  email?: string;

  @ApiPropertyOptional({ nullable: true, example: '+14155550100', description: 'E.164 phone number.' })
  @IsOptional()
  @Matches(/^\+[1-9]\d{6,14}$/, { message: 'must be an E.164 phone number such as +14155550100' })
  @IsPhoneNumber(undefined, { message: 'is not a valid phone number' })
  phone?: string;

  @ApiPropertyOptional({ nullable: true,
    type: [DeviceTokenDto],
    example: DEVICE_TOKENS_EXAMPLE,
    description: 'Push and web push targets; without them the stored profile of userId is used.',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => DeviceTokenDto)
  deviceTokens?: DeviceTokenDto[];

  @ApiPropertyOptional({ nullable: true, type: [ChatDestinationDto], description: 'Chat targets; without them the stored profile of userId is used.' })
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

  @ApiPropertyOptional({ nullable: true, example: 'Order o-1 is on its way', description: 'Plain-text body. At least one of text and html is required.' })
  @IsOptional()
  @IsString()
  @MaxLength(1_000_000)
  text?: string;

  @ApiPropertyOptional({ nullable: true, example: '<p>Order o-1 is on its way</p>' })
  @IsOptional()
  @IsString()
  @MaxLength(1_000_000)
  html?: string;
}

export class ContentDto {
  @ApiPropertyOptional({ nullable: true, type: EmailContentDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => EmailContentDto)
  email?: EmailContentDto;

  @ApiPropertyOptional({ nullable: true, type: SmsContentDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => SmsContentDto)
  sms?: SmsContentDto;

  @ApiPropertyOptional({ nullable: true, type: PushContentDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => PushContentDto)
  push?: PushContentDto;

  @ApiPropertyOptional({ nullable: true, type: WebPushContentDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => WebPushContentDto)
  webpush?: WebPushContentDto;

  @ApiPropertyOptional({ nullable: true, type: ChatContentDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => ChatContentDto)
  chat?: ChatContentDto;

  @ApiPropertyOptional({ nullable: true, type: InAppContentDto })
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

  @ApiPropertyOptional({ nullable: true,
    enum: CHANNELS,
    isArray: true,
    example: ['email'],
    description: 'Empty or absent: every channel the category allows, the user has not turned off and has an address for.',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(CHANNELS.length)
  @IsIn(CHANNELS, { each: true, message: `must contain only known channels: ${CHANNELS.join(', ')}` })
  channels?: Channel[];

  @ApiPropertyOptional({ nullable: true, type: ContentDto, description: 'Content per channel named in `channels`. Required unless `template` is given.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => ContentDto)
  content?: ContentDto;

  @ApiPropertyOptional({ nullable: true, type: TemplateReferenceDto, description: 'Render a template instead of giving `content`; rendered once, at acceptance.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => TemplateReferenceDto)
  template?: TemplateReferenceDto;

  @ApiPropertyOptional({ nullable: true, example: 'orders', description: 'Lower-case name used for preferences and reporting.' })
  @IsOptional()
  @Matches(CATEGORY_NAME_PATTERN, { message: 'must be 1-64 lower-case letters, digits, ".", "_" or "-"' })
  category?: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, nullable: true, example: { orderId: 'o-1' }, description: 'Free-form data kept with the notification and returned by GET.' })
  @IsOptional()
  @IsObject()
  metadata?: Record<string, unknown>;

  @ApiPropertyOptional({ nullable: true,
    example: '2026-12-24T18:00:00Z',
    description: 'Send at this time (ISO 8601 with a zone), at most a year ahead. Until then the notification is `scheduled` and can be cancelled.',
  })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'must be an ISO 8601 date-time such as 2026-12-24T18:00:00Z' })
  sendAt?: string;
}

export class BatchItemDto extends CreateNotificationDto {
  @ApiPropertyOptional({ nullable: true,
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

const CONTENT_EXAMPLE = {
  recipient: { userId: 'u-42', email: 'ada@example.com' },
  channels: ['email'],
  content: { email: { subject: 'Your order shipped', text: 'Order o-1 is on its way', html: '<p>Order o-1 is on its way</p>' } },
  category: 'orders',
  metadata: { orderId: 'o-1' },
};

const TEMPLATE_EXAMPLE = {
  recipient: { userId: 'u-42', email: 'ada@example.com', phone: '+14155550100' },
  channels: ['email', 'sms'],
  template: { key: 'order-shipped', data: { orderId: 'o-1', name: 'Ada' }, locale: 'fr-CA' },
  category: 'orders',
};

const PUSH_EXAMPLE = {
  recipient: { userId: 'u-42', deviceTokens: DEVICE_TOKENS_EXAMPLE },
  channels: ['push', 'webpush'],
  content: {
    push: { title: 'Order shipped', body: 'Order o-1 is on its way', data: { orderId: 'o-1' } },
    webpush: { title: 'Order shipped', body: 'Order o-1 is on its way', url: 'https://shop.example.com/orders/o-1' },
  },
  category: 'orders',
};

/**
 * The request examples of POST /v1/notifications. `content` and `template` exclude each other, so the document gives
 * whole bodies rather than leaving the reader the property examples, which combine into a body the API refuses.
 */
export const CREATE_NOTIFICATION_EXAMPLES = {
  content: { summary: 'Content given per channel', value: CONTENT_EXAMPLE },
  template: { summary: 'A stored template, rendered at acceptance (PUT /v1/templates/order-shipped first)', value: TEMPLATE_EXAMPLE },
  push: { summary: 'Push and web push to the device tokens given', value: PUSH_EXAMPLE },
};

export const CREATE_NOTIFICATION_BATCH_EXAMPLES = {
  batch: {
    summary: 'Two notifications, each with its own idempotency key',
    value: { items: [{ ...CONTENT_EXAMPLE, idempotencyKey: 'order-o-1-shipped-email' }, { ...TEMPLATE_EXAMPLE, idempotencyKey: 'order-o-1-shipped-template' }] },
  },
};
