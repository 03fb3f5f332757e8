import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsArray, IsBoolean, IsIn, IsObject, IsOptional, IsString, MaxLength } from 'class-validator';
import { CHANNELS, type Channel } from '../../../../domain/notification/channel';

const CHANNEL_SWITCHES = { type: 'object', additionalProperties: { type: 'boolean' } } as const;

export class PutCategoryDto {
  @ApiPropertyOptional({ nullable: true, example: 'New books by authors you follow', default: '' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string;

  @ApiPropertyOptional({ nullable: true, example: false, default: false, description: 'Critical categories (security alerts...) ignore opt-outs.' })
  @IsOptional()
  @IsBoolean({ message: 'must be true or false' })
  critical?: boolean;

  @ApiPropertyOptional({ nullable: true,
    ...CHANNEL_SWITCHES,
    example: { email: true, sms: false },
    description: 'Whether each channel is on for users who made no choice; unlisted channels are on.',
  })
  @IsOptional()
  @IsObject({ message: 'must map channels to true or false' })
  channelDefaults?: Record<string, unknown>;
}

export class CategoryDto {
  @ApiProperty({ example: 'new-books' }) name!: string;
  @ApiProperty({ example: 'New books by authors you follow' }) description!: string;
  @ApiProperty({ example: false }) critical!: boolean;
  @ApiProperty({ ...CHANNEL_SWITCHES, example: { email: true, sms: false } }) channelDefaults!: Record<string, boolean>;
}

export class PutPreferencesDto {
  @ApiProperty({
    type: 'object',
    additionalProperties: CHANNEL_SWITCHES,
    example: { marketing: { email: false, push: true } },
    description: 'Per category, per channel on/off. Replaces every earlier choice; a category left out returns to its defaults.',
  })
  @IsObject({ message: 'must map categories to channel switches' })
  categories!: Record<string, Record<string, unknown>>;

  @ApiProperty({ enum: CHANNELS, isArray: true, example: ['sms'], description: 'Channels turned off for every non-critical category.' })
  @IsArray()
  @IsIn(CHANNELS, { each: true, message: `must contain only known channels: ${CHANNELS.join(', ')}` })
  optedOutChannels!: Channel[];
}

export class EffectiveCategoryDto {
  @ApiProperty({ example: 'marketing' }) name!: string;
  @ApiProperty({ example: '' }) description!: string;
  @ApiProperty({ example: false }) critical!: boolean;
  @ApiProperty({ ...CHANNEL_SWITCHES, example: { email: false }, description: 'Whether a notification would be sent, per channel.' })
  channels!: Record<string, boolean>;
}

export class PreferencesDto {
  @ApiProperty({ example: 'u-42' }) userId!: string;
  @ApiProperty({ type: 'object', additionalProperties: CHANNEL_SWITCHES, example: { marketing: { email: false } } })
  categories!: Record<string, Record<string, boolean>>;
  @ApiProperty({ enum: CHANNELS, isArray: true, example: ['sms'] }) optedOutChannels!: Channel[];
  @ApiProperty({ type: [EffectiveCategoryDto] }) effective!: EffectiveCategoryDto[];
}

export class PreferenceLinkDto {
  @ApiProperty({ example: 'https://herald.example.com/v1/preference-page?token=eyJ...' }) url!: string;
  @ApiProperty() expiresAt!: Date;
}

export class SmsReplyDto {
  @ApiProperty({ enum: ['opted_out', 'opted_in', 'ignored'] }) action!: string;
  @ApiProperty({ example: 1, description: 'Recipients holding the number.' }) users!: number;
}
