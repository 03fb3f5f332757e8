import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';

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
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) archivedAt!: Date | null;
}

export class InboxPageDto {
  @ApiProperty({ type: [InboxItemDto], description: 'Newest first.' }) items!: InboxItemDto[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next (older) page; null on the last page.' }) nextCursor!: string | null;
  @ApiProperty({ example: 3, description: 'Unread, unarchived items of the user.' }) unreadCount!: number;
}

export class MarkAllReadResultDto {
  @ApiProperty({ example: 3, description: 'How many items were unread.' }) updated!: number;
}
