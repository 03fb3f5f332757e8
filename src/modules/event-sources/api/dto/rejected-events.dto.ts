import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

export class RejectedEventsQueryDto {
  @ApiPropertyOptional({ example: 'intake:herald-intake', description: 'Only events of this source: a stream ARN or `intake:<queue>`.' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(2048)
  source?: string;

  @ApiPropertyOptional({ example: '1200', description: 'From the previous page\'s `nextCursor`.' })
  @IsOptional()
  @Matches(/^\d{1,18}$/, { message: 'must be a cursor from a previous page' })
  cursor?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 200, example: 50, description: 'Items per page (default 50).' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'must be an integer' })
  @Min(1)
  @Max(200)
  limit?: number;
}

export class RejectedEventDto {
  @ApiProperty({ example: '1201' }) id!: string;
  @ApiProperty({ example: 'arn:aws:dynamodb:eu-west-1:123456789012:table/orders/stream/2026-01-01T00:00:00.000', description: 'A stream ARN or `intake:<queue>`.' })
  source!: string;
  @ApiProperty({ example: 'c4ca4238a0b923820dcc509a6f75849b', description: 'DynamoDB eventID, EventBridge id, SNS or SQS MessageId.' }) eventId!: string;
  @ApiProperty({ type: String, nullable: true, example: 'order-placed', description: 'The rule that matched; null when the event could not be read or was a direct request.' })
  rule!: string | null;
  @ApiProperty({ example: 'recipient.email: no value at new.customerEmail' }) reason!: string;
  @ApiProperty({ description: 'The event as read (for stream records: eventName and the unmarshalled images).', type: 'object', additionalProperties: true, nullable: true })
  payload!: unknown;
  @ApiProperty() createdAt!: Date;
}

export class RejectedEventsPageDto {
  @ApiProperty({ type: [RejectedEventDto], description: 'Newest first.' }) items!: RejectedEventDto[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next (older) page; null on the last page.' }) nextCursor!: string | null;
}
