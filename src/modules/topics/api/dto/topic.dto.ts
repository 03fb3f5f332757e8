import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  IsArray,
  IsIn,
  IsInt,
  Max,
  Min,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { CHANNELS, type Channel } from '../../../../domain/notification/channel';
import { ContentDto } from '../../../ingestion/schema/create-notification.dto';
import { CATEGORY_NAME_PATTERN, KEY_PATTERN, PRINTABLE_ID_PATTERN } from '../../../../domain/notification/patterns';
import { PageLimit } from '../../../../infrastructure/http/page-limit';

export class PutTopicDto {
  @ApiPropertyOptional({ nullable: true, example: 'Followers of Ada Lovelace', default: '' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  name?: string;
}

export class TopicDto {
  @ApiProperty({ example: 'author:a-7' }) key!: string;
  @ApiProperty({ example: 'Followers of Ada Lovelace' }) name!: string;
  @ApiProperty({ example: 5000 }) subscriberCount!: number;
  @ApiProperty() createdAt!: Date;
}

export class SubscribersDto {
  @ApiProperty({ example: ['u-1', 'u-2'], maxItems: 10000 })
  @IsArray()
  @ArrayNotEmpty({ message: 'must contain at least one user id' })
  @ArrayMaxSize(10000, { message: 'must contain at most 10000 user ids' })
  @IsString({ each: true })
  @Matches(PRINTABLE_ID_PATTERN, { each: true, message: 'must contain user ids of 1-200 printable ASCII characters' })
  userIds!: string[];
}

export class SubscribeResultDto {
  @ApiProperty({ example: 2, description: 'Users that were not subscribed before.' }) added!: number;
}

export class UnsubscribeResultDto {
  @ApiProperty({ example: 1 }) removed!: number;
}

export class SubscriberPageDto {
  @ApiProperty({ example: ['u-1', 'u-2'] }) userIds!: string[];
  @ApiProperty({ type: String, nullable: true, example: 'u-2', description: 'Pass as `after` for the next page; null on the last page.' }) nextCursor!: string | null;
}

export class TopicTemplateDto {
  @ApiProperty({ example: 'new-book' })
  @IsString()
  @Matches(KEY_PATTERN, { message: 'must be a template key' })
  key!: string;

  @ApiProperty({ type: 'object', additionalProperties: true, example: { title: 'The Analytical Engine' } })
  @IsObject({ message: 'must be an object' })
  data!: Record<string, unknown>;
}

export class CreateTopicNotificationDto {
  @ApiPropertyOptional({ nullable: true, enum: CHANNELS, isArray: true, example: ['email'], description: 'Empty or absent: every channel the category allows by default.' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(CHANNELS.length)
  @IsIn(CHANNELS, { each: true, message: `must contain only known channels: ${CHANNELS.join(', ')}` })
  channels?: Channel[];

  @ApiPropertyOptional({ nullable: true, type: ContentDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => ContentDto)
  content?: ContentDto;

  @ApiPropertyOptional({ nullable: true, type: TopicTemplateDto, description: "Rendered per locale; each subscriber gets their profile locale's version." })
  @IsOptional()
  @ValidateNested()
  @Type(() => TopicTemplateDto)
  template?: TopicTemplateDto;

  @ApiPropertyOptional({ nullable: true, example: 'new-books' })
  @IsOptional()
  @Matches(CATEGORY_NAME_PATTERN, { message: 'must be 1-64 lower-case letters, digits, ".", "_" or "-"' })
  category?: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, nullable: true, example: { bookId: 'b-1' } })
  @IsOptional()
  @IsObject()
  metadata?: Record<string, unknown>;
}

/**
 * The request examples of POST /v1/topics/{key}/notifications: `content` and `template` exclude each other, so the
 * document gives whole bodies rather than the property examples, which combine into a body the API refuses.
 */
export const CREATE_TOPIC_NOTIFICATION_EXAMPLES = {
  content: {
    summary: 'Content given per channel',
    value: {
      channels: ['email', 'inapp'],
      content: {
        email: { subject: 'A new book by Ada Lovelace', text: 'The Analytical Engine is out.', html: '<p><em>The Analytical Engine</em> is out.</p>' },
        inapp: { title: 'A new book by Ada Lovelace', body: 'The Analytical Engine is out.', actionUrl: 'https://shop.example.com/books/b-1' },
      },
      category: 'new-books',
      metadata: { bookId: 'b-1' },
    },
  },
};

export class FanoutDto {
  @ApiProperty({ example: '0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b' }) id!: string;
  @ApiProperty({ description: 'The event; every notification of the fan-out carries it as requestId.' }) requestId!: string;
  @ApiProperty({ example: 'author:a-7' }) topicKey!: string;
  @ApiProperty({ enum: CHANNELS, isArray: true }) channels!: Channel[];
  @ApiProperty({ example: 5000, description: 'Subscribers at acceptance times channels.' }) total!: number;
  @ApiProperty({ example: 2000, description: 'Notifications created so far.' }) created!: number;
  @ApiProperty({ example: false }) done!: boolean;
  @ApiProperty() createdAt!: Date;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) finishedAt!: Date | null;
}

export class ListSubscribersQueryDto {
  @ApiPropertyOptional({ description: 'Cursor from the previous page (nextCursor).' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  after?: string;

  @ApiPropertyOptional({ example: 100, default: 100, maximum: 1000 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'must be an integer from 1 to 1000' })
  @Min(1, { message: 'must be an integer from 1 to 1000' })
  @Max(1000, { message: 'must be an integer from 1 to 1000' })
  limit?: number;
}

export class ListTopicsQueryDto {
  @PageLimit(500, 100)
  limit?: number;

  @ApiPropertyOptional({ example: 'author:a-7', description: 'nextCursor of the previous page.' })
  @IsOptional()
  @IsString()
  @Matches(KEY_PATTERN, { message: 'is not a cursor from an earlier page (pass nextCursor as it was given)' })
  cursor?: string;
}

export class TopicListDto {
  @ApiProperty({ type: [TopicDto] }) items!: TopicDto[];
  @ApiProperty({ type: String, nullable: true, example: null, description: 'Pass as `cursor` for the next page; null on the last page.' }) nextCursor!: string | null;
}

export class ListFanoutsQueryDto {
  @ApiProperty({ example: 'author:a-7', description: 'The topic whose fan-outs to list.' })
  @IsString()
  @Matches(KEY_PATTERN, { message: 'must be a topic key: 1-128 lower-case letters, digits, ".", "_", ":" or "-"' })
  topic!: string;

  @PageLimit(100, 20)
  limit?: number;

  @ApiPropertyOptional({ example: 'WyIyMDI2LTExLTIwVDEwOjAwOjAwLjEyMzQ1NloiLCIwMTkzYTFiMi03YzRkLTdlOGYtOWEwYi0xYzJkM2U0ZjVhNmIiXQ', description: 'nextCursor of the previous page (with the same topic).' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;
}

export class FanoutListDto {
  @ApiProperty({ type: [FanoutDto] }) items!: FanoutDto[];
  @ApiProperty({ type: String, nullable: true, example: null, description: 'Pass as `cursor` for the next page; null on the last page.' }) nextCursor!: string | null;
}
