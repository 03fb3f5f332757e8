import { Body, Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBadRequestResponse, ApiBody, ApiHeader, ApiNotFoundResponse, ApiOperation, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Recipient } from '../../../domain/notification/notification-request';
import { ErrorResponseDto } from '../../../infrastructure/http/error-response.dto';
import { IdempotencyKey } from '../../../infrastructure/http/idempotency-key.pipe';
import type { AuthenticatedRequest } from '../../access/api/api-key.guard';
import { RequireScope } from '../../access/api/auth.decorators';
import { TriggerWorkflow } from '../application/trigger-workflow.use-case';
import { TriggerEventDto } from '../schema/trigger-event.dto';
import { TriggerResultDto } from './dto/workflow-run.dto';

@ApiTags('workflows')
@Controller('v1/events')
export class EventsController {
  constructor(private readonly triggerWorkflow: TriggerWorkflow) {}

  @Post()
  @HttpCode(202)
  @RequireScope('notifications:write')
  @ApiOperation({
    summary: 'Trigger a workflow: one run per recipient',
    description:
      'Answers 202 once the runs are durably stored (one transaction), on the latest version of the workflow. The same idempotency key (header or ' +
      'body) from the same API key answers the first trigger\'s runs and starts nothing (header Idempotent-Replayed: true); with another body it is ' +
      'refused with 422. A topic runs the workflow for each of its subscribers at the time of the event.',
  })
  // Named examples, since recipients and topic exclude each other: a body built from every property's example would name both.
  @ApiBody({
    type: TriggerEventDto,
    examples: {
      recipients: {
        summary: 'For given recipients',
        value: {
          workflow: 'new-comment',
          recipients: [{ userId: 'u-42', email: 'ada@example.com' }],
          payload: { postId: 'p-7', postTitle: 'Hello', author: 'Grace' },
          idempotencyKey: 'comment-91',
          runKey: 'post-7',
        },
      },
    },
  })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Up to 200 printable ASCII characters; unique per API key. The body field wins.' })
  @ApiAcceptedResponse({ type: TriggerResultDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'Invalid request; `details` lists every offending field.' })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'No workflow (code workflow_not_found) or topic (topic_not_found) with that key.' })
  @ApiUnprocessableEntityResponse({ type: ErrorResponseDto, description: 'The idempotency key was used before with a different body.' })
  async trigger(
    @Body() body: TriggerEventDto,
    @IdempotencyKey() header: string | null,
    @Req() req: AuthenticatedRequest,
    @Res({ passthrough: true }) res: Response,
  ): Promise<TriggerResultDto> {
    const result = await this.triggerWorkflow.execute({
      source: `api:${req.principal!.id}`,
      workflowKey: body.workflow,
      recipients: (body.recipients ?? undefined) as Recipient[] | undefined,
      topic: body.topic ?? undefined,
      payload: body.payload,
      idempotencyKey: body.idempotencyKey ?? header,
      runKey: body.runKey ?? null,
    });
    if (result.replayed) res.setHeader('Idempotent-Replayed', 'true');
    return { triggerId: result.triggerId, workflow: result.workflow, version: result.version, runs: result.runs };
  }
}
