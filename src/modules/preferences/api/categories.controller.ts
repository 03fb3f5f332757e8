import { Body, Controller, Get, Param, Put, Req } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiForbiddenResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { ValidationFailedError, type FieldIssue } from '../../../domain/errors/domain-errors';
import { isChannel, type Channel } from '../../../domain/notification/channel';
import type { Category } from '../../../domain/preferences/preference-policy';
import type { AuthenticatedRequest } from '../../access/api/api-key.guard';
import { RequireScope } from '../../access/api/auth.decorators';
import { ErrorResponseDto } from '../../../infrastructure/http/error-response.dto';
import { DeclareCategory } from '../application/declare-category.use-case';
import { ListCategories } from '../application/list-categories.use-case';
import { CategoryDto, PutCategoryDto } from './dto/preferences.dto';
import { CATEGORY_NAME_PATTERN } from '../../../domain/notification/patterns';


@ApiTags('preferences')
@Controller('v1/categories')
export class CategoriesController {
  constructor(
    private readonly declareCategory: DeclareCategory,
    private readonly listCategories: ListCategories,
  ) {}

  @ApiParam({ name: 'name', example: 'new-books', description: 'Lower-case category name.' })
  @Put(':name')
  @RequireScope('admin')
  @ApiOperation({
    summary: 'Declare or change a category',
    description: 'Notifications name their category; users turn categories on or off per channel. A change is recorded in the audit log (`category.changed`); the same PUT again is not.',
  })
  @ApiOkResponse({ type: CategoryDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  put(@Param('name') name: string, @Body() body: PutCategoryDto, @Req() req: AuthenticatedRequest): Promise<Category> {
    const issues: FieldIssue[] = [];
    if (!CATEGORY_NAME_PATTERN.test(name)) issues.push({ field: 'name', reason: 'must be 1-64 lower-case letters, digits, ".", "_" or "-"' });
    const channelDefaults: Partial<Record<Channel, boolean>> = {};
    for (const [channel, on] of Object.entries(body.channelDefaults ?? {})) {
      if (!isChannel(channel)) issues.push({ field: `channelDefaults.${channel}`, reason: 'is not a known channel' });
      else if (typeof on !== 'boolean') issues.push({ field: `channelDefaults.${channel}`, reason: 'must be true or false' });
      else channelDefaults[channel] = on;
    }
    if (issues.length) throw new ValidationFailedError(issues);
    return this.declareCategory.execute({ name, description: body.description ?? '', critical: body.critical ?? false, channelDefaults, actorKeyId: req.principal!.id });
  }

  @Get()
  @RequireScope('notifications:read')
  @ApiOperation({ summary: 'Every declared category', description: 'Categories declared with PUT /v1/categories/{name}, with their defaults per channel.' })
  @ApiOkResponse({ type: [CategoryDto] })
  list(): Promise<Category[]> {
    return this.listCategories.execute();
  }
}
