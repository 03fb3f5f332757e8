import { Controller, Get, Req } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthenticatedRequest } from './api-key.guard';
import { RequireAnyKey } from './auth.decorators';
import { ApiKeySelfDto } from './dto/api-key-self.dto';

@ApiTags('api keys')
@Controller('v1/api-keys')
export class ApiKeysController {
  @Get('self')
  @RequireAnyKey()
  @ApiOperation({ summary: 'The calling API key: its id, name and scopes', description: 'For a client to show only what the key may do (the console hides actions a read-only key would be refused).' })
  @ApiOkResponse({ type: ApiKeySelfDto })
  self(@Req() req: AuthenticatedRequest): ApiKeySelfDto {
    const { id, name, scopes } = req.principal!;
    return { id, name, scopes };
  }
}
