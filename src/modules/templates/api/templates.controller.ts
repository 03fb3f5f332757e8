import { Body, Controller, Get, HttpCode, Param, Post, Put, Query, Req } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiQuery,
  ApiTags,
  ApiUnauthorizedResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { ValidationFailedError } from '../../../domain/errors/domain-errors';
import type { TemplateVersion } from '../../../domain/templates/template';
import type { AuthenticatedRequest } from '../../access/api/api-key.guard';
import { RequireScope } from '../../access/api/auth.decorators';
import { ErrorResponseDto } from '../../../infrastructure/http/error-response.dto';
import { GetTemplate } from '../application/get-template.use-case';
import { ListTemplates } from '../application/list-templates.use-case';
import { PreviewTemplate } from '../application/preview-template.use-case';
import { PublishTemplate } from '../application/publish-template.use-case';
import { IntegerPipe } from '../../../infrastructure/http/integer.pipe';
import { ListTemplatesQueryDto, MAX_TEMPLATE_VERSION, PreviewTemplateDto, PutTemplateDto, TemplateDto, TemplateListDto, TemplatePreviewDto } from './dto/template.dto';
import { KEY_PATTERN } from '../../../domain/notification/patterns';


function checkKey(key: string): string {
  if (!KEY_PATTERN.test(key)) throw new ValidationFailedError([{ field: 'key', reason: 'must be 1-128 lower-case letters, digits, ".", "_", ":" or "-"' }]);
  return key;
}

function view(t: TemplateVersion): TemplateDto {
  return { key: t.key, version: t.version, description: t.description, defaultLocale: t.defaultLocale, variables: t.variables, locales: t.locales, createdAt: t.createdAt };
}

@ApiTags('templates')
@Controller('v1/templates')
export class TemplatesController {
  constructor(
    private readonly publishTemplate: PublishTemplate,
    private readonly getTemplate: GetTemplate,
    private readonly previewTemplate: PreviewTemplate,
    private readonly listTemplates: ListTemplates,
  ) {}

  @Get()
  @RequireScope('notifications:read')
  @ApiOperation({
    summary: 'Templates in key order, a page at a time',
    description:
      'Each template as its latest version has it: version, description, default locale, locales and channels, and when it was published. ' +
      'Keys are in byte order; `prefix` keeps those starting with it. Keyset pagination: pass `nextCursor` as `cursor` with the same prefix.',
  })
  @ApiOkResponse({ type: TemplateListDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'A prefix that no key can start with, a limit out of range, or a cursor Herald did not give.' })
  list(@Query() query: ListTemplatesQueryDto): Promise<TemplateListDto> {
    return this.listTemplates.execute({ prefix: query.prefix ?? null, after: query.cursor ?? null, limit: query.limit ?? 50 });
  }

  @ApiParam({ name: 'key', example: 'order-shipped' })
  @Put(':key')
  @RequireScope('admin')
  @ApiOperation({
    summary: 'Publish a new version of a template',
    description:
      'Creates the template at version 1 or adds the next version. Notifications already accepted keep the content they were rendered with. ' +
      'Recorded in the audit log (`template.published`, the version before and the new one).',
  })
  @ApiOkResponse({ type: TemplateDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'Invalid variants or template syntax; `details` names each field.' })
  async put(@Param('key') key: string, @Body() body: PutTemplateDto, @Req() req: AuthenticatedRequest): Promise<TemplateDto> {
    return view(
      await this.publishTemplate.execute({
        key: checkKey(key),
        description: body.description ?? '',
        defaultLocale: body.defaultLocale,
        variables: body.variables,
        locales: body.locales,
        actorKeyId: req.principal!.id,
      }),
    );
  }

  @ApiParam({ name: 'key', example: 'order-shipped' })
  @Get(':key')
  @RequireScope('notifications:read')
  @ApiOperation({ summary: 'A template version (the latest by default)', description: 'The template\'s variants (per channel and locale) as stored. 404 when the key or the version is unknown.' })
  @ApiQuery({ name: 'version', required: false, type: Number, minimum: 1, maximum: MAX_TEMPLATE_VERSION })
  @ApiOkResponse({ type: TemplateDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async get(@Param('key') key: string, @Query('version', new IntegerPipe({ min: 1, max: MAX_TEMPLATE_VERSION, optional: true })) version?: number): Promise<TemplateDto> {
    return view(await this.getTemplate.execute({ key: checkKey(key), version }));
  }

  @ApiParam({ name: 'key', example: 'order-shipped' })
  @Post(':key/preview')
  @HttpCode(200)
  @RequireScope('notifications:read')
  @ApiOperation({ summary: 'Render a template with sample data, as a notification would get it', description: 'Renders every channel (or the ones asked for) of a template version with the given data and locale, after locale fallback. 422 when a variable the template needs is missing from the data.' })
  @ApiOkResponse({ type: TemplatePreviewDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiUnprocessableEntityResponse({ type: ErrorResponseDto, description: 'A declared variable is missing from data (code template_variable_missing).' })
  preview(@Param('key') key: string, @Body() body: PreviewTemplateDto): Promise<TemplatePreviewDto> {
    // null, which the validation lets through for these optional fields, means left out.
    return this.previewTemplate.execute({ key: checkKey(key), data: body.data, version: body.version ?? undefined, channels: body.channels ?? undefined, locale: body.locale ?? undefined });
  }
}
