import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  MaxLength,
  ValidateBy,
  ValidateNested,
  type ValidationOptions,
} from 'class-validator';
import { isValidPhoneNumber, parsePhoneNumberWithError } from 'libphonenumber-js';
import { CHAT_DESTINATION_TYPES, DEVICE_PLATFORMS, type ChatDestinationType, type DevicePlatform } from '../../../../domain/recipient/recipient-profile';
import { LOCALE_PATTERN } from '../../../../domain/notification/patterns';

function isE164(value: unknown): boolean {
  if (typeof value !== 'string' || !isValidPhoneNumber(value)) return false;
  try {
    return parsePhoneNumberWithError(value).number === value;
  } catch {
    return false;
  }
}

const IsE164 = (options?: ValidationOptions) =>
  ValidateBy({ name: 'isE164', validator: { validate: isE164, defaultMessage: () => 'must be a valid phone number in E.164 form, such as +14155550100' } }, options);

function isTimeZone(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

const IsTimeZone = (options?: ValidationOptions) =>
  ValidateBy({ name: 'isTimeZone', validator: { validate: isTimeZone, defaultMessage: () => 'must be an IANA time zone such as Europe/Paris' } }, options);

export class WebPushKeysDto {
  @ApiProperty({ example: 'BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  p256dh!: string;

  @ApiProperty({ example: 'tBHItJI5svbpez7KI4CCXg', writeOnly: true, description: 'Secret: never returned.' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  auth!: string;
}

export class DeviceTokenDto {
  @ApiProperty({
    example: 'fcm-registration-token',
    writeOnly: true,
    description:
      'Device token; for webpush, the subscription endpoint URL (https, a public address). Secret: reads return it masked; ' +
      'a masked value sent back stands for the stored token it masks.',
  })
  @IsString()
  @IsNotEmpty({ message: 'must not be empty' })
  @MaxLength(4096)
  token!: string;

  @ApiProperty({ enum: DEVICE_PLATFORMS, example: 'fcm' })
  @IsIn(DEVICE_PLATFORMS, { message: `must be one of ${DEVICE_PLATFORMS.join(', ')}` })
  platform!: DevicePlatform;

  @ApiPropertyOptional({ nullable: true, type: WebPushKeysDto, writeOnly: true, description: 'Web push subscription keys (webpush only). Never returned; left out on a PUT of a masked token, the stored keys are kept.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => WebPushKeysDto)
  keys?: WebPushKeysDto;
}

/** One token of each kind: web push keys belong to a web push subscription only. */
export const DEVICE_TOKENS_EXAMPLE = [
  { token: 'fcm-registration-token', platform: 'fcm' },
  {
    token: 'https://fcm.googleapis.com/fcm/send/dQ8yvH1P2f0:APA91bExample',
    platform: 'webpush',
    keys: { p256dh: 'BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM', auth: 'tBHItJI5svbpez7KI4CCXg' },
  },
];

export class ChatDestinationDto {
  @ApiProperty({ enum: CHAT_DESTINATION_TYPES, example: 'slack' })
  @IsIn(CHAT_DESTINATION_TYPES, { message: `must be one of ${CHAT_DESTINATION_TYPES.join(', ')}` })
  type!: ChatDestinationType;

  @ApiProperty({
    example: 'https://hooks.slack.com/services/T000/B000/XXXX',
    writeOnly: true,
    description:
      'https, on a public address; a slack destination must be on one of SLACK_WEBHOOK_HOSTS. Secret: reads return it masked ' +
      '(origin and last 4 characters); a masked value sent back stands for the stored URL it masks.',
  })
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false }, { message: 'must be an http(s) URL' })
  @MaxLength(2000)
  url!: string;

  @ApiProperty({ example: true })
  @IsBoolean({ message: 'must be true or false' })
  enabled!: boolean;
}

/** PUT replaces the whole profile: a field left out is cleared. */
export class PutRecipientDto {
  @ApiPropertyOptional({ type: String, example: 'ada@example.com', nullable: true })
  @IsOptional()
  @IsEmail({}, { message: 'must be a valid email address' })
  @MaxLength(254)
  email?: string | null;

  @ApiPropertyOptional({ type: String, example: '+14155550100', nullable: true, description: 'E.164, validated against the numbering plan.' })
  @IsOptional()
  @IsE164()
  phone?: string | null;

  @ApiPropertyOptional({ type: String, example: 'fr-CA', nullable: true, description: 'BCP 47 language tag; chooses template translations.' })
  @IsOptional()
  @Matches(LOCALE_PATTERN, { message: 'must be a BCP 47 language tag such as en or fr-CA' })
  locale?: string | null;

  @ApiPropertyOptional({ type: String, example: 'America/Toronto', nullable: true })
  @IsOptional()
  @IsTimeZone()
  timezone?: string | null;

  @ApiPropertyOptional({ nullable: true, type: [DeviceTokenDto], maxItems: 50, example: DEVICE_TOKENS_EXAMPLE })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => DeviceTokenDto)
  deviceTokens?: DeviceTokenDto[];

  @ApiPropertyOptional({ nullable: true, type: [ChatDestinationDto], maxItems: 20 })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => ChatDestinationDto)
  chatDestinations?: ChatDestinationDto[];

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, nullable: true, example: { plan: 'pro' }, description: 'Free-form attributes kept with the profile.' })
  @IsOptional()
  @IsObject({ message: 'must be an object' })
  attributes?: Record<string, unknown>;
}

export class MaskedDeviceTokenDto {
  @ApiProperty({ example: '…oken', readOnly: true, description: 'Masked: the URL origin for webpush, and the last 4 characters.' }) token!: string;
  @ApiProperty({ enum: DEVICE_PLATFORMS, example: 'fcm' }) platform!: DevicePlatform;
}

export class MaskedChatDestinationDto {
  @ApiProperty({ enum: CHAT_DESTINATION_TYPES, example: 'slack' }) type!: ChatDestinationType;
  @ApiProperty({ example: 'https://hooks.slack.com/…XXXX', readOnly: true, description: 'Masked: the URL origin and the last 4 characters.' }) url!: string;
  @ApiProperty({ example: true }) enabled!: boolean;
}

export class RecipientResponseDto {
  @ApiProperty({ example: 'u-42' }) userId!: string;
  @ApiProperty({ type: String, nullable: true, example: 'ada@example.com' }) email!: string | null;
  @ApiProperty({ type: String, nullable: true, example: '+14155550100' }) phone!: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'fr-CA' }) locale!: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'America/Toronto' }) timezone!: string | null;
  @ApiProperty({ type: [MaskedDeviceTokenDto] }) deviceTokens!: MaskedDeviceTokenDto[];
  @ApiProperty({ type: [MaskedChatDestinationDto] }) chatDestinations!: MaskedChatDestinationDto[];
  @ApiProperty({ type: 'object', additionalProperties: true, example: { plan: 'pro' } }) attributes!: Record<string, unknown>;
  @ApiPropertyOptional() createdAt?: Date;
  @ApiPropertyOptional() updatedAt?: Date;
}
