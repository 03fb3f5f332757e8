import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { ENGAGEMENT_DIMENSIONS, ENGAGEMENT_INTERVALS, MAX_ENGAGEMENT_WINDOW_DAYS, MAX_HOURLY_WINDOW_DAYS } from '../../../../domain/analytics/engagement';
import { CHANNELS } from '../../../../domain/notification/channel';

export class EngagementQueryDto {
  @ApiProperty({ example: '2026-11-01T00:00:00Z', description: 'ISO 8601: counts the notifications created at or after this time.' })
  @IsISO8601({ strict: true })
  from!: string;

  @ApiProperty({ example: '2026-12-01T00:00:00Z', description: `ISO 8601: ... and before this time; after from, at most ${MAX_ENGAGEMENT_WINDOW_DAYS} days later.` })
  @IsISO8601({ strict: true })
  to!: string;

  @ApiPropertyOptional({
    example: 'channel,template',
    default: 'channel',
    description: `Comma-separated, each once: ${ENGAGEMENT_DIMENSIONS.join(', ')}.`,
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  groupBy?: string;

  @ApiPropertyOptional({
    enum: ENGAGEMENT_INTERVALS,
    example: 'day',
    description: `Also count per UTC hour or day of the window (\`buckets\`); with hour, to is at most ${MAX_HOURLY_WINDOW_DAYS} days after from.`,
  })
  @IsOptional()
  @IsIn(ENGAGEMENT_INTERVALS, { message: 'must be hour or day' })
  interval?: string;

  @ApiPropertyOptional({ enum: CHANNELS, example: 'email', description: 'Count only the notifications of this channel.' })
  @IsOptional()
  @IsIn(CHANNELS, { message: `must be one of ${CHANNELS.join(', ')}` })
  channel?: string;

  @ApiPropertyOptional({ example: 'newsletter', description: 'Count only the notifications of this category.' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  category?: string;
}

export class EngagementGroupKeyDto {
  @ApiPropertyOptional({ type: String, example: 'email', nullable: true }) channel?: string | null;
  @ApiPropertyOptional({ type: String, example: 'newsletter', nullable: true, description: 'null: no category.' }) category?: string | null;
  @ApiPropertyOptional({ type: String, example: 'weekly-digest', nullable: true, description: 'null: literal content.' }) template?: string | null;
  @ApiPropertyOptional({ type: String, example: 'smtp', nullable: true, description: 'null: no provider was called.' }) provider?: string | null;
}

export class EngagementCountsDto {
  @ApiProperty({ example: 1200, description: 'Notifications created in the window.' }) accepted!: number;
  @ApiProperty({ example: 1180, description: 'Accepted by a provider.' }) sent!: number;
  @ApiProperty({ example: 1150, description: 'Known to have arrived: a delivery event, or an open, click, unsubscribe or complaint.' }) delivered!: number;
  @ApiProperty({ example: 460, description: 'Opened or clicked.' }) opened!: number;
  @ApiProperty({ example: 115 }) clicked!: number;
  @ApiProperty({ example: 12 }) unsubscribed!: number;
  @ApiProperty({ example: 20, description: 'Hard bounces.' }) bounced!: number;
  @ApiProperty({ example: 1 }) complained!: number;
  @ApiProperty({ example: 20, description: 'Currently failed.' }) failed!: number;
}

export class EngagementRatesDto {
  @ApiProperty({ type: Number, example: 0.9746, nullable: true, description: 'delivered / sent' }) deliveryRate!: number | null;
  @ApiProperty({ type: Number, example: 0.4, nullable: true, description: 'opened / delivered' }) openRate!: number | null;
  @ApiProperty({ type: Number, example: 0.1, nullable: true, description: 'clicked / delivered' }) clickRate!: number | null;
  @ApiProperty({ type: Number, example: 0.25, nullable: true, description: 'clicked / opened' }) clickToOpenRate!: number | null;
  @ApiProperty({ type: Number, example: 0.0104, nullable: true, description: 'unsubscribed / delivered' }) unsubscribeRate!: number | null;
  @ApiProperty({ type: Number, example: 0.0169, nullable: true, description: 'bounced / sent' }) bounceRate!: number | null;
  @ApiProperty({ type: Number, example: 0.0009, nullable: true, description: 'complained / delivered' }) complaintRate!: number | null;
  @ApiProperty({ type: Number, example: 0.0167, nullable: true, description: 'failed / accepted' }) failureRate!: number | null;
}

export class EngagementGroupDto {
  @ApiProperty({ type: EngagementGroupKeyDto, description: 'The value of each grouped-by dimension.' }) key!: EngagementGroupKeyDto;
  @ApiProperty({ type: EngagementCountsDto }) counts!: EngagementCountsDto;
  @ApiProperty({ type: EngagementRatesDto, description: 'Rounded to 4 decimals; null when the denominator is 0.' }) rates!: EngagementRatesDto;
}

export class EngagementBucketDto {
  @ApiProperty({ example: '2026-11-01T00:00:00.000Z', description: 'Start of the bucket (the window\'s from for a first bucket cut short).' }) start!: string;
  @ApiProperty({ example: '2026-11-02T00:00:00.000Z', description: 'End of the bucket, exclusive (the window\'s to for a last bucket cut short).' }) end!: string;
  @ApiProperty({ type: EngagementCountsDto, description: 'Of the notifications created in the bucket; zeros when none was.' }) counts!: EngagementCountsDto;
  @ApiProperty({ type: EngagementRatesDto, description: 'Rounded to 4 decimals; null when the denominator is 0.' }) rates!: EngagementRatesDto;
}

export class EngagementReportDto {
  @ApiProperty({ example: '2026-11-01T00:00:00.000Z' }) from!: string;
  @ApiProperty({ example: '2026-12-01T00:00:00.000Z' }) to!: string;
  @ApiProperty({ example: ['channel', 'template'], enum: ENGAGEMENT_DIMENSIONS, isArray: true }) groupBy!: string[];
  @ApiPropertyOptional({ enum: CHANNELS, example: 'email', description: 'The channel filter, when one was given.' }) channel?: string;
  @ApiPropertyOptional({ example: 'newsletter', description: 'The category filter, when one was given.' }) category?: string;
  @ApiProperty({ type: [EngagementGroupDto] }) groups!: EngagementGroupDto[];
  @ApiPropertyOptional({ enum: ENGAGEMENT_INTERVALS, example: 'day', description: 'Present with buckets.' }) interval?: string;
  @ApiPropertyOptional({
    type: [EngagementBucketDto],
    description: 'With interval: every UTC hour or day of the window in order, including those in which no notification was created.',
  })
  buckets?: EngagementBucketDto[];
}
