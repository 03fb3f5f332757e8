import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { KEY_PATTERN, PRINTABLE_ID_PATTERN } from '../../../../domain/notification/patterns';
import { RUN_STATUSES, STEP_STATES, type RunStatus } from '../../../../domain/workflows/workflow-run';
import { PageLimit } from '../../../../infrastructure/http/page-limit';
import { RecipientDto } from '../../../ingestion/schema/create-notification.dto';

export class TriggeredRunDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ nullable: true, type: String, example: 'u-42' }) userId!: string | null;
}

export class TriggerResultDto {
  @ApiProperty({ format: 'uuid' }) triggerId!: string;
  @ApiProperty({ example: 'new-comment' }) workflow!: string;
  @ApiProperty({ example: 1, description: 'The version the runs follow.' }) version!: number;
  @ApiProperty({ type: [TriggeredRunDto] }) runs!: TriggeredRunDto[];
}

export class StepStateDto {
  @ApiProperty({ example: 'inapp' }) id!: string;
  @ApiProperty({ example: 'send' }) type!: string;
  @ApiProperty({ enum: STEP_STATES }) state!: string;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) startedAt!: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) finishedAt!: string | null;
  @ApiProperty({
    nullable: true,
    type: 'object',
    additionalProperties: true,
    example: { notifications: [{ id: '0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b', channel: 'inapp', status: 'queued' }] },
    description:
      'send: notifications (or refused); digest: digestWindow, digestCount for the run that sends it, mergedInto for a run whose event joined another; branch: branch, next; throttle: throttleCount.',
  })
  produced!: Record<string, unknown> | null;
}

export class WorkflowRunDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'new-comment' }) workflow!: string;
  @ApiProperty({ example: 1 }) version!: number;
  @ApiProperty({ nullable: true, type: String, example: 'post-7' }) runKey!: string | null;
  @ApiProperty({ type: RecipientDto }) recipient!: RecipientDto;
  @ApiProperty({ type: 'object', additionalProperties: true }) payload!: Record<string, unknown>;
  @ApiProperty({ enum: RUN_STATUSES }) status!: string;
  @ApiProperty({ nullable: true, type: String, example: 'unseen', description: 'The step the run is at; null once finished.' }) currentStep!: string | null;
  @ApiProperty({ nullable: true, type: Date, description: 'When a waiting run is next due.' }) dueAt!: Date | null;
  @ApiProperty({ nullable: true, type: String }) error!: string | null;
  @ApiProperty({ type: [StepStateDto] }) steps!: StepStateDto[];
  @ApiProperty() createdAt!: Date;
  @ApiProperty() updatedAt!: Date;
  @ApiProperty({ nullable: true, type: Date }) finishedAt!: Date | null;
}

export class WorkflowRunListDto {
  @ApiProperty({ type: [WorkflowRunDto] }) items!: WorkflowRunDto[];
  @ApiProperty({ nullable: true, type: String, description: 'Pass as `cursor` for the next page; null on the last one.' }) nextCursor!: string | null;
}

export class ListWorkflowRunsQueryDto {
  @ApiPropertyOptional({ example: 'new-comment' })
  @IsOptional()
  @IsString()
  @Matches(KEY_PATTERN, { message: 'must be a workflow key' })
  workflow?: string;

  @ApiPropertyOptional({ example: 'u-42' })
  @IsOptional()
  @IsString()
  @Matches(PRINTABLE_ID_PATTERN, { message: 'must be 1-200 printable ASCII characters without spaces' })
  userId?: string;

  @ApiPropertyOptional({ enum: RUN_STATUSES })
  @IsOptional()
  @IsIn(RUN_STATUSES, { message: `must be one of ${RUN_STATUSES.join(', ')}` })
  status?: RunStatus;

  @PageLimit(200, 50)
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page (with the same filters).' })
  @IsOptional()
  @IsString()
  cursor?: string;
}

export class CancelRunsDto {
  @ApiProperty({ example: 'new-comment' })
  @IsString()
  @Matches(KEY_PATTERN, { message: 'must be a workflow key' })
  workflow!: string;

  @ApiProperty({ example: 'post-7', description: 'The runKey (or idempotency key) the runs were triggered with.' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  runKey!: string;
}

export class CancelledRunsDto {
  @ApiProperty({ type: [String], description: 'The runs cancelled (unfinished runs with that key).' }) cancelled!: string[];
  @ApiProperty({ type: [String], description: 'Scheduled notifications of those runs that were cancelled too.' }) notificationsCancelled!: string[];
}
