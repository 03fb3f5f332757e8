import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches } from 'class-validator';
import { CHANNELS } from '../../../../domain/notification/channel';
import { KEY_PATTERN } from '../../../../domain/notification/patterns';
import { STEP_TYPES } from '../../../../domain/workflows/workflow-definition';
import { PageLimit } from '../../../../infrastructure/http/page-limit';

/** Versions are PostgreSQL integers. */
export const MAX_WORKFLOW_VERSION = 2_147_483_647;

export const WORKFLOW_EXAMPLE = {
  name: 'Comment on your post',
  category: 'social',
  steps: [
    { id: 'inapp', type: 'send', channel: 'inapp', content: { title: 'New comment', body: '{{payload.author}} commented on {{payload.postTitle}}' } },
    { id: 'unseen', type: 'branch', if: { step: 'inapp', is: 'seen', within: '1h' }, then: 'end' },
    { id: 'email', type: 'send', channel: 'email', template: { key: 'new-comment', data: { source: 'workflow' } } },
  ],
};

/** One step; which fields apply depends on `type` (docs/workflows.md). */
export class WorkflowStepDto {
  @ApiProperty({ example: 'inapp', description: 'Unique in the workflow: 1-64 letters, digits, "_" or "-".' }) id!: string;
  @ApiProperty({ enum: STEP_TYPES, example: 'send' }) type!: string;
  @ApiPropertyOptional({ enum: CHANNELS, description: 'send: the channel.' }) channel?: string;
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'send: the content of the channel, as in POST /v1/notifications; {{payload.x}}, {{recipient.x}}, {{digest.count}} placeholders are filled.',
  })
  content?: Record<string, unknown>;
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    example: { key: 'new-comment', data: { source: 'workflow' } },
    description: 'send: a template instead of content; its data is the payload, then these fields, then `digest` after a digest step.',
  })
  template?: Record<string, unknown>;
  @ApiPropertyOptional({ example: '30m', description: 'delay: how long ("30s", "30m", "1h", "1d" or ISO 8601 "PT1H").' }) duration?: string;
  @ApiPropertyOptional({ example: '{{payload.remindAt}}', description: 'delay: instead of duration, a time from the payload; a past time goes on at once.' }) until?: string;
  @ApiPropertyOptional({ example: '30m', description: 'digest, throttle: the window.' }) window?: string;
  @ApiPropertyOptional({ example: '{{payload.postId}}', description: 'digest, throttle: what else the window is per (besides the recipient); default: the workflow.' }) key?: string;
  @ApiPropertyOptional({ description: 'digest: the first event of a window goes on at once on its own; the rest are digested.' }) sendFirstImmediately?: boolean;
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    example: { step: 'inapp', is: 'seen', within: '1h' },
    description:
      'branch: { payload | recipient: "path", equals | notEquals | exists | in }, or { step: "<earlier send step>", is: delivered | seen | read | clicked | failed, within? }.',
  })
  if?: Record<string, unknown>;
  @ApiPropertyOptional({ example: 'end', description: 'branch: the step to go to when the condition holds, or "end".' }) then?: string;
  @ApiPropertyOptional({ example: 'email', description: 'branch: the step to go to otherwise (default: the next step), or "end".' }) else?: string;
  @ApiPropertyOptional({ example: 1, description: 'throttle: how many runs per recipient (and key) pass per window.' }) limit?: number;
}

export class PutWorkflowDto {
  @ApiPropertyOptional({ example: 'new-comment', description: 'When given, must equal the key in the path.' }) key?: string;
  @ApiPropertyOptional({ example: 'Comment on your post' }) name?: string;
  @ApiPropertyOptional({ example: 'social', description: 'The category of every notification the workflow sends (preferences apply).' }) category?: string;
  @ApiProperty({ type: [WorkflowStepDto] }) steps!: WorkflowStepDto[];
}

export class WorkflowDto {
  @ApiProperty({ example: 'new-comment' }) key!: string;
  @ApiProperty({ example: 1 }) version!: number;
  @ApiProperty({ nullable: true, type: String, example: 'Comment on your post' }) name!: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'social' }) category!: string | null;
  @ApiProperty({ type: [WorkflowStepDto] }) steps!: WorkflowStepDto[];
  @ApiProperty({ description: 'When this version was stored.' }) createdAt!: Date;
}

export class WorkflowSummaryDto {
  @ApiProperty({ example: 'new-comment' }) key!: string;
  @ApiProperty({ nullable: true, type: String, example: 'Comment on your post' }) name!: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'social' }) category!: string | null;
  @ApiProperty({ example: 2 }) latestVersion!: number;
  @ApiProperty({ example: 3 }) stepCount!: number;
  @ApiProperty({ description: 'When the latest version was stored.' }) updatedAt!: Date;
}

export class WorkflowListDto {
  @ApiProperty({ type: [WorkflowSummaryDto] }) items!: WorkflowSummaryDto[];
  @ApiProperty({ nullable: true, type: String, example: 'new-comment', description: 'Pass as `cursor` for the next page; null on the last one.' }) nextCursor!: string | null;
}

export class ListWorkflowsQueryDto {
  @PageLimit(100, 50)
  limit?: number;

  @ApiPropertyOptional({ example: 'new-comment', description: 'nextCursor of the previous page.' })
  @IsOptional()
  @IsString()
  @Matches(KEY_PATTERN, { message: 'is not a cursor from an earlier page (pass nextCursor as it was given)' })
  cursor?: string;
}
