import { Body, Controller, Get, Param, Put, Query, Req, Res } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { parse as parseYaml } from 'yaml';
import { ValidationFailedError } from '../../../domain/errors/domain-errors';
import { KEY_PATTERN } from '../../../domain/notification/patterns';
import type { WorkflowVersion } from '../../../domain/workflows/workflow-definition';
import { AcceptsBody, YAML_MEDIA_TYPES } from '../../../infrastructure/http/body-media-type';
import { ErrorResponseDto } from '../../../infrastructure/http/error-response.dto';
import { IntegerPipe } from '../../../infrastructure/http/integer.pipe';
import { RequireScope } from '../../access/api/auth.decorators';
import { GetWorkflow } from '../application/get-workflow.use-case';
import { ListWorkflows } from '../application/list-workflows.use-case';
import { PublishWorkflow } from '../application/publish-workflow.use-case';
import { ListWorkflowsQueryDto, MAX_WORKFLOW_VERSION, PutWorkflowDto, WORKFLOW_EXAMPLE, WorkflowDto, WorkflowListDto, type WorkflowStepDto } from './dto/workflow.dto';

function checkKey(key: string): string {
  if (!KEY_PATTERN.test(key)) throw new ValidationFailedError([{ field: 'key', reason: 'must be 1-128 lower-case letters, digits, ".", "_", ":" or "-"' }]);
  return key;
}

function view(w: WorkflowVersion): WorkflowDto {
  return { key: w.key, version: w.version, name: w.definition.name ?? null, category: w.definition.category ?? null, steps: w.definition.steps as WorkflowStepDto[], createdAt: w.createdAt };
}

/** A YAML body arrives as text; JSON as parsed by the JSON parser. */
function definitionOf(body: unknown, req: Request): unknown {
  if (typeof body !== 'string') return body;
  if (!YAML_MEDIA_TYPES.includes((req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase())) return body;
  try {
    return parseYaml(body, { maxAliasCount: 100 }) as unknown;
  } catch (err) {
    throw new ValidationFailedError([{ field: 'body', reason: `is not valid YAML: ${(err as Error).message.split('\n')[0]}` }]);
  }
}

@ApiTags('workflows')
@Controller('v1/workflows')
export class WorkflowsController {
  constructor(
    private readonly publishWorkflow: PublishWorkflow,
    private readonly getWorkflow: GetWorkflow,
    private readonly listWorkflows: ListWorkflows,
  ) {}

  @Get()
  @RequireScope('notifications:read')
  @ApiOperation({ summary: 'Workflows in key order, a page at a time', description: 'Each workflow as its latest version has it. Keyset pagination: pass `nextCursor` as `cursor`.' })
  @ApiOkResponse({ type: WorkflowListDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'A limit out of range, or a cursor Herald did not give.' })
  list(@Query() query: ListWorkflowsQueryDto): Promise<WorkflowListDto> {
    return this.listWorkflows.execute({ after: query.cursor ?? null, limit: query.limit ?? 50 });
  }

  @ApiParam({ name: 'key', example: 'new-comment' })
  @Put(':key')
  @RequireScope('admin')
  @AcceptsBody({ types: ['application/json', ...YAML_MEDIA_TYPES], type: PutWorkflowDto, examples: { comment: { summary: 'In-app, then email if not seen within an hour', value: WORKFLOW_EXAMPLE } } })
  @ApiOperation({
    summary: 'Define a workflow (a new version when the definition changes)',
    description:
      'JSON, or YAML with Content-Type application/yaml. The whole definition is checked first; any problem answers 400 naming each field, and nothing ' +
      'is stored. A definition that differs from the latest version is stored as the next version (runs already started keep theirs); the same ' +
      'definition again stores nothing and answers the latest version with header Idempotent-Replayed: true.',
  })
  @ApiOkResponse({ type: WorkflowDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'An invalid definition; `details` names each field.' })
  async put(@Param('key') key: string, @Body() body: unknown, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<WorkflowDto> {
    const { workflow, changed } = await this.publishWorkflow.execute({ key: checkKey(key), body: definitionOf(body, req) });
    if (!changed) res.setHeader('Idempotent-Replayed', 'true');
    return view(workflow);
  }

  @ApiParam({ name: 'key', example: 'new-comment' })
  @Get(':key')
  @RequireScope('notifications:read')
  @ApiOperation({ summary: 'A workflow version (the latest by default)', description: '404 when the key or the version is unknown.' })
  @ApiQuery({ name: 'version', required: false, type: Number, minimum: 1, maximum: MAX_WORKFLOW_VERSION })
  @ApiOkResponse({ type: WorkflowDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async get(@Param('key') key: string, @Query('version', new IntegerPipe({ min: 1, max: MAX_WORKFLOW_VERSION, optional: true })) version?: number): Promise<WorkflowDto> {
    return view(await this.getWorkflow.execute({ key: checkKey(key), version }));
  }
}
