import { Body, Controller, Delete, Get, Param, Post, Req } from '@nestjs/common';
import { ApiBadRequestResponse, ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { ApiKeyRecord } from '../../../domain/ports/api-key-store.port';
import { ErrorResponseDto } from '../../../infrastructure/http/error-response.dto';
import { CreateApiKey } from '../application/create-api-key.use-case';
import { ListApiKeys } from '../application/list-api-keys.use-case';
import { RevokeApiKey } from '../application/revoke-api-key.use-case';
import type { AuthenticatedRequest } from './api-key.guard';
import { RequireAnyKey, RequireScope } from './auth.decorators';
import { ApiKeySelfDto } from './dto/api-key-self.dto';
import { ApiKeyDto, ApiKeyListDto, CreateApiKeyDto, CreatedApiKeyDto } from './dto/api-keys.dto';

/** Any valid key may ask about itself; everything else about keys needs the admin scope (below). */
@ApiTags('api keys')
@Controller('v1/api-keys')
export class ApiKeySelfController {
  @Get('self')
  @RequireAnyKey()
  @ApiOperation({ summary: 'The calling API key: its id, name and scopes', description: 'For a client to show only what the key may do (the console hides actions a read-only key would be refused).' })
  @ApiOkResponse({ type: ApiKeySelfDto })
  self(@Req() req: AuthenticatedRequest): ApiKeySelfDto {
    const { id, name, scopes } = req.principal!;
    return { id, name, scopes };
  }
}

@ApiTags('api keys')
@RequireScope('admin')
@Controller('v1/api-keys')
export class ApiKeysController {
  constructor(
    private readonly createApiKey: CreateApiKey,
    private readonly listApiKeys: ListApiKeys,
    private readonly revokeApiKey: RevokeApiKey,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Create an API key', description: 'The secret is in this answer only. With `expiresAt`, the key is refused with 401 `api_key_expired` after that time.' })
  @ApiCreatedResponse({ type: CreatedApiKeyDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'A missing name, an unknown scope, or an expiry that is not in the future.' })
  async create(@Body() body: CreateApiKeyDto, @Req() req: AuthenticatedRequest): Promise<CreatedApiKeyDto> {
    const created = await this.createApiKey.execute({
      name: body.name,
      scopes: body.scopes,
      actorKeyId: req.principal!.id,
      ...(body.expiresAt ? { expiresAt: new Date(body.expiresAt) } : {}),
    });
    const { secret, ...record } = created;
    return { ...viewOf(record), secret };
  }

  @Get()
  @ApiOperation({ summary: 'Every API key, newest first', description: 'Never the secret: its first characters and last four identify it.' })
  @ApiOkResponse({ type: ApiKeyListDto })
  async list(): Promise<ApiKeyListDto> {
    return { items: (await this.listApiKeys.execute()).map(viewOf) };
  }

  @Delete(':id')
  @ApiOperation({
    summary: 'Revoke an API key',
    description: 'The key is refused at once by this process and within 30 seconds by the others (their key caches). Revoking a revoked key changes nothing. 404 for an unknown id.',
  })
  @ApiOkResponse({ type: ApiKeyDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'api_key_not_found' })
  async revoke(@Param('id') id: string, @Req() req: AuthenticatedRequest): Promise<ApiKeyDto> {
    return viewOf(await this.revokeApiKey.execute({ id, actorKeyId: req.principal!.id }));
  }
}

function viewOf(key: ApiKeyRecord): ApiKeyDto {
  const status = key.revokedAt ? 'revoked' : key.expiresAt && key.expiresAt.getTime() <= Date.now() ? 'expired' : 'active';
  return { ...key, status };
}
