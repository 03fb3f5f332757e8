import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsArray, IsNotEmpty, IsObject, IsOptional, IsString, MaxLength, ArrayMaxSize } from 'class-validator';

// Recipient addresses share their DTOs with the recipients API, so the OpenAPI document has one schema for each.
export { ChatDestinationDto, DEVICE_TOKENS_EXAMPLE, DeviceTokenDto, WebPushKeysDto } from '../../recipients/api/dto/recipient.dto';

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

  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' }, nullable: true, example: { orderId: 'o-1' }, description: 'String key-value pairs delivered to the app.' })
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

  @ApiPropertyOptional({ nullable: true, example: 'https://shop.example.com/orders/o-1' })
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  url?: string;

  @ApiPropertyOptional({ nullable: true, example: 'https://shop.example.com/icon.png' })
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

  @ApiPropertyOptional({ nullable: true, type: 'array', items: { type: 'object', additionalProperties: true }, description: 'Slack Block Kit blocks (passed through; webhooks receive them as is).' })
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

  @ApiPropertyOptional({ nullable: true, example: 'https://shop.example.com/orders/o-1' })
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  actionUrl?: string;
}
