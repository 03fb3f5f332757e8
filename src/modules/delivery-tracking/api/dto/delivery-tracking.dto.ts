import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { PageLimit } from '../../../../infrastructure/http/page-limit';

const SUPPRESSIBLE = ['email', 'sms'] as const;
type SuppressibleChannel = (typeof SUPPRESSIBLE)[number];

export class DeliveryEventsReportDto {
  @ApiProperty({ example: 1, description: 'New events stored.' }) recorded!: number;
  @ApiProperty({ example: 0, description: 'Events received before: ignored.' }) duplicates!: number;
  @ApiProperty({ example: 1, description: 'Notifications whose status moved forward.' }) statusChanges!: number;
  @ApiProperty({ example: 0, description: 'Events naming no known notification.' }) unmatched!: number;
  @ApiProperty({ example: 0, description: 'Addresses added to the suppression list.' }) suppressed!: number;
}

export class SesWebhookResultDto {
  @ApiProperty({ enum: ['events', 'subscription_confirmed', 'ignored'] }) kind!: string;
  @ApiPropertyOptional() recorded?: number;
  @ApiPropertyOptional() duplicates?: number;
  @ApiPropertyOptional() statusChanges?: number;
  @ApiPropertyOptional() unmatched?: number;
  @ApiPropertyOptional() suppressed?: number;
}

export class ListSuppressionsQueryDto {
  @ApiPropertyOptional({ enum: SUPPRESSIBLE })
  @IsOptional()
  @IsIn(SUPPRESSIBLE)
  channel?: SuppressibleChannel;

  @ApiPropertyOptional({ example: 'ada@example.com' })
  @IsOptional()
  @IsString()
  @MaxLength(320)
  address?: string;

  @PageLimit(1000, 100)
  limit?: number;
}

export class SuppressionDto {
  @ApiProperty({ enum: SUPPRESSIBLE }) channel!: string;
  @ApiProperty({ example: 'ada@example.com' }) address!: string;
  @ApiProperty({ example: 'hard bounce: Permanent / General' }) reason!: string;
  @ApiProperty({ example: 'ses', description: 'The provider whose event added it, or api.' }) source!: string;
  @ApiProperty() createdAt!: Date;
}

export class SuppressionListDto {
  @ApiProperty({ type: [SuppressionDto] }) items!: SuppressionDto[];
}

export class AddSuppressionDto {
  @ApiProperty({ enum: SUPPRESSIBLE })
  @IsIn(SUPPRESSIBLE)
  channel!: SuppressibleChannel;

  @ApiProperty({ example: 'ada@example.com' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(320)
  address!: string;

  @ApiPropertyOptional({ nullable: true, example: 'asked by the user', default: 'added by an operator' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;
}

export class AddSuppressionResultDto {
  @ApiProperty({ description: 'False when the address was already listed.' }) added!: boolean;
}
