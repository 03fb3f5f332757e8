import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsArray, IsBoolean, IsIn, IsNotEmpty, IsObject, IsOptional, IsString, IsUrl, MaxLength, ValidateNested, ArrayMaxSize } from 'class-validator';
import { CHAT_DESTINATION_TYPES, DEVICE_PLATFORMS, type ChatDestinationType, type DevicePlatform } from '../../../../domain/recipient/recipient-profile';

export class WebPushKeysDto {
  @ApiProperty({ example: 'BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  p256dh!: string;

  @ApiProperty({ example: 'tBHItJI5svbpez7KI4CCXg' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  auth!: string;
}

export class DeviceTokenDto {
  @ApiProperty({ example: 'fcm-registration-token', description: 'FCM registration token, APNs device token (hex), or the web push subscription endpoint URL.' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(4096)
  token!: string;

  @ApiProperty({ enum: DEVICE_PLATFORMS, example: 'fcm' })
  @IsIn(DEVICE_PLATFORMS, { message: `must be one of ${DEVICE_PLATFORMS.join(', ')}` })
  platform!: DevicePlatform;

  @ApiPropertyOptional({ type: WebPushKeysDto, description: 'Required for webpush: the subscription\'s keys.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => WebPushKeysDto)
  keys?: WebPushKeysDto;
}

export class ChatDestinationDto {
  @ApiProperty({ enum: CHAT_DESTINATION_TYPES, example: 'slack' })
  @IsIn(CHAT_DESTINATION_TYPES, { message: `must be one of ${CHAT_DESTINATION_TYPES.join(', ')}` })
  type!: ChatDestinationType;

  @ApiProperty({ example: 'https://hooks.slack.com/services/T000/B000/XXXX', description: 'Secret: never returned in clear by attempt records.' })
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true }, { message: 'must be an http(s) URL' })
  @MaxLength(2048)
  url!: string;

  @ApiProperty({ example: true })
  @IsBoolean()
  enabled!: boolean;
}

export class SmsContentDto {
  @ApiProperty({ example: 'Your code is 123456', maxLength: 1600 })
  @IsString()
  @IsNotEmpty({ message: 'must not be empty' })
  @MaxLength(1600)
  text!: string;
}

export class PushContentDto {
  @ApiProperty({ example: 'Order shipped', maxLength: 200 })
  @IsString()
  @IsNotEmpty({ message: 'must not be empty' })
  @MaxLength(200)
  title!: string;

  @ApiProperty({ example: 'Order o-1 is on its way', maxLength: 2000 })
  @IsString()
  @IsNotEmpty({ message: 'must not be empty' })
  @MaxLength(2000)
  body!: string;

  @ApiPropertyOptional({ example: { orderId: 'o-1' }, description: 'String key-value pairs delivered to the app.' })
  @IsOptional()
  @IsObject()
  data?: Record<string, string>;
}

export class WebPushContentDto {
  @ApiProperty({ example: 'Order shipped', maxLength: 200 })
  @IsString()
  @IsNotEmpty({ message: 'must not be empty' })
  @MaxLength(200)
  title!: string;

  @ApiProperty({ example: 'Order o-1 is on its way', maxLength: 2000 })
  @IsString()
  @IsNotEmpty({ message: 'must not be empty' })
  @MaxLength(2000)
  body!: string;

  @ApiPropertyOptional({ example: 'https://shop.example.com/orders/o-1' })
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  url?: string;

  @ApiPropertyOptional({ example: 'https://shop.example.com/icon.png' })
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  icon?: string;
}

export class ChatContentDto {
  @ApiProperty({ example: 'Order o-1 shipped', maxLength: 40000 })
  @IsString()
  @IsNotEmpty({ message: 'must not be empty' })
  @MaxLength(40000)
  text!: string;

  @ApiPropertyOptional({ type: 'array', items: { type: 'object' }, description: 'Slack Block Kit blocks (passed through; webhooks receive them as is).' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  blocks?: unknown[];
}

export class InAppContentDto {
  @ApiProperty({ example: 'Order shipped', maxLength: 200 })
  @IsString()
  @IsNotEmpty({ message: 'must not be empty' })
  @MaxLength(200)
  title!: string;

  @ApiProperty({ example: 'Order o-1 is on its way', maxLength: 5000 })
  @IsString()
  @IsNotEmpty({ message: 'must not be empty' })
  @MaxLength(5000)
  body!: string;

  @ApiPropertyOptional({ example: 'https://shop.example.com/orders/o-1' })
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  actionUrl?: string;
}
