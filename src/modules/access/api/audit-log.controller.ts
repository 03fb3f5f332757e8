import { Controller, Get, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ValidationFailedError } from '../../../domain/errors/domain-errors';
import { ErrorResponseDto } from '../../../infrastructure/http/error-response.dto';
import { decodeCursor, encodeCursor } from '../../../infrastructure/http/list-cursor';
import { ListAuditLog } from '../application/list-audit-log.use-case';
import { RequireScope } from './auth.decorators';
import { AuditLogDto, ListAuditLogQueryDto } from './dto/audit-log.dto';

@ApiTags('api keys')
@RequireScope('admin')
@Controller('v1/audit-log')
export class AuditLogController {
  constructor(private readonly listAuditLog: ListAuditLog) {}

  @Get()
  @ApiOperation({ summary: 'Admin actions, newest first', description: 'Who (which API key) did what to which target, with the state before and after (secrets masked). Keyset pagination: pass `nextCursor` as `cursor`.' })
  @ApiOkResponse({ type: AuditLogDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  async list(@Query() query: ListAuditLogQueryDto): Promise<AuditLogDto> {
    const from = query.from ? new Date(query.from) : undefined;
    const to = query.to ? new Date(query.to) : undefined;
    if (from && to && from >= to) throw new ValidationFailedError([{ field: 'to', reason: 'must be later than from' }]);
    const page = await this.listAuditLog.execute({
      filter: { action: query.action, keyId: query.keyId, from, to },
      limit: query.limit ?? 50,
      after: query.cursor ? decodeCursor(query.cursor) : null,
    });
    return { items: page.items, nextCursor: page.next ? encodeCursor(page.next) : null };
  }
}
