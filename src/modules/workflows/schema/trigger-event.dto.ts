import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayNotEmpty, IsArray, IsNotEmpty, IsObject, IsOptional, IsString, Matches, MaxLength, ValidateNested } from 'class-validator';
import { KEY_PATTERN, PRINTABLE_ID_PATTERN } from '../../../domain/notification/patterns';
import { RecipientDto } from '../../ingestion/schema/create-notification.dto';

/** The body of POST /v1/events, also the body of an intake-queue message that triggers a workflow. */
export const MAX_EVENT_RECIPIENTS = 1000;

export class TriggerEventDto {
  @ApiProperty({ example: 'new-comment', description: 'The key of the workflow to run (its latest version).' })
  @IsString()
  @Matches(KEY_PATTERN, { message: 'must be a workflow key' })
  workflow!: string;

  @ApiPropertyOptional({ nullable: true, type: [RecipientDto], description: `One run per recipient (at most ${MAX_EVENT_RECIPIENTS}); or topic.` })
  @IsOptional()
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(MAX_EVENT_RECIPIENTS)
  @ValidateNested({ each: true })
  @Type(() => RecipientDto)
  recipients?: RecipientDto[];

  @ApiPropertyOptional({ nullable: true, example: 'post-7-followers', description: 'Instead of recipients: one run per subscriber of the topic at the time of the event.' })
  @IsOptional()
  @IsString()
  @Matches(KEY_PATTERN, { message: 'must be a topic key' })
  topic?: string;

  @ApiProperty({ type: 'object', additionalProperties: true, example: { postId: 'p-7', postTitle: 'Hello', author: 'Ada' }, description: 'The event: `payload` in placeholders and conditions, template data.' })
  @IsObject({ message: 'must be an object' })
  payload!: Record<string, unknown>;

  @ApiPropertyOptional({ nullable: true, example: 'comment-91', description: 'Instead of the Idempotency-Key header.' })
  @IsOptional()
  @IsString()
  @Matches(PRINTABLE_ID_PATTERN, { message: 'must be 1-200 printable ASCII characters without spaces' })
  idempotencyKey?: string;

  @ApiPropertyOptional({ nullable: true, example: 'post-7', description: 'Names the runs for POST /v1/workflow-runs/cancel; default: the idempotency key.' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  runKey?: string;
}
