import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { WorkflowRun } from '../../../domain/workflows/workflow-run';
import { ErrorResponseDto } from '../../../infrastructure/http/error-response.dto';
import { decodeCursor, encodeCursor } from '../../../infrastructure/http/list-cursor';
import type { AuthenticatedRequest } from '../../access/api/api-key.guard';
import { RequireScope } from '../../access/api/auth.decorators';
import { CancelWorkflowRuns } from '../application/cancel-workflow-runs.use-case';
import { GetWorkflowRun } from '../application/get-workflow-run.use-case';
import { ListWorkflowRuns } from '../application/list-workflow-runs.use-case';
import { CancelledRunsDto, CancelRunsDto, ListWorkflowRunsQueryDto, WorkflowRunDto, WorkflowRunListDto, type StepStateDto } from './dto/workflow-run.dto';

function view(r: WorkflowRun): WorkflowRunDto {
  return {
    id: r.id,
    workflow: r.workflowKey,
    version: r.workflowVersion,
    runKey: r.runKey,
    recipient: r.recipient,
    payload: r.payload,
    status: r.status,
    currentStep: r.status === 'running' || r.status === 'waiting' ? (r.steps[r.stepIndex]?.id ?? null) : null,
    dueAt: r.status === 'running' || r.status === 'waiting' ? r.dueAt : null,
    error: r.error,
    steps: r.steps as unknown as StepStateDto[],
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    finishedAt: r.finishedAt,
  };
}

@ApiTags('workflows')
@Controller('v1/workflow-runs')
export class WorkflowRunsController {
  constructor(
    private readonly getRun: GetWorkflowRun,
    private readonly listRuns: ListWorkflowRuns,
    private readonly cancelRuns: CancelWorkflowRuns,
  ) {}

  @Get()
  @RequireScope('notifications:read')
  @ApiOperation({ summary: 'Workflow runs, newest first', description: 'Filtered by workflow, userId and status. Keyset pagination: pass `nextCursor` as `cursor` with the same filters.' })
  @ApiOkResponse({ type: WorkflowRunListDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  async list(@Query() query: ListWorkflowRunsQueryDto): Promise<WorkflowRunListDto> {
    const page = await this.listRuns.execute({
      filter: { ...(query.workflow ? { workflowKey: query.workflow } : {}), ...(query.userId ? { userId: query.userId } : {}), ...(query.status ? { status: query.status } : {}) },
      after: query.cursor ? decodeCursor(query.cursor) : null,
      limit: query.limit ?? 50,
    });
    return { items: page.items.map(view), nextCursor: page.next ? encodeCursor(page.next) : null };
  }

  @Post('cancel')
  @HttpCode(200)
  @RequireScope('notifications:write')
  @ApiOperation({
    summary: 'Cancel the unfinished runs of a workflow with a run key',
    description:
      'Steps already done stay done; a waiting delay, digest or outcome wait never fires, and notifications the runs scheduled for later are cancelled. ' +
      'Cancelling again (or a key with no unfinished run) cancels nothing and answers an empty list.',
  })
  @ApiOkResponse({ type: CancelledRunsDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  cancel(@Body() body: CancelRunsDto, @Req() req: AuthenticatedRequest): Promise<CancelledRunsDto> {
    return this.cancelRuns.execute({ target: { workflowKey: body.workflow, runKey: body.runKey }, by: `api:${req.principal!.id}` });
  }

  @ApiParam({ name: 'id', format: 'uuid' })
  @Get(':id')
  @RequireScope('notifications:read')
  @ApiOperation({ summary: 'A workflow run with the state of each step', description: 'What each step produced: notifications, the digest it joined, the branch taken. 404 when no run has this id.' })
  @ApiOkResponse({ type: WorkflowRunDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async get(@Param('id') id: string): Promise<WorkflowRunDto> {
    return view(await this.getRun.execute({ id }));
  }

  @ApiParam({ name: 'id', format: 'uuid' })
  @Delete(':id')
  @RequireScope('notifications:write')
  @ApiOperation({ summary: 'Cancel one workflow run', description: 'As POST /v1/workflow-runs/cancel, for one run. 404 when no run has this id.' })
  @ApiOkResponse({ type: CancelledRunsDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async remove(@Param('id') id: string, @Req() req: AuthenticatedRequest): Promise<CancelledRunsDto> {
    await this.getRun.execute({ id });
    return this.cancelRuns.execute({ target: { runId: id }, by: `api:${req.principal!.id}` });
  }
}
