import { Controller, Get, HttpCode, Param, Post, Query, Sse, type MessageEvent } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { map, type Observable } from 'rxjs';
import { HeraldConfig } from '../../../infrastructure/config/herald-config';
import { RequireScope } from '../../access/api/auth.decorators';
import { ErrorResponseDto } from '../../../infrastructure/http/error-response.dto';
import { ArchiveInboxItem } from '../application/archive-inbox-item.use-case';
import { ListInbox } from '../application/list-inbox.use-case';
import { MarkAllInboxRead } from '../application/mark-all-inbox-read.use-case';
import { MarkInboxItemRead } from '../application/mark-inbox-item-read.use-case';
import { StreamInbox } from '../application/stream-inbox.use-case';
import { InboxPageDto, InboxQueryDto, MarkAllReadResultDto } from './dto/inbox.dto';

@ApiTags('inbox')
@Controller('v1/users/:userId/inbox')
export class InboxController {
  constructor(
    private readonly listInbox: ListInbox,
    private readonly markRead: MarkInboxItemRead,
    private readonly markAllRead: MarkAllInboxRead,
    private readonly archiveItem: ArchiveInboxItem,
    private readonly streamInbox: StreamInbox,
    private readonly config: HeraldConfig,
  ) {}

  @Get()
  @RequireScope('notifications:read')
  @ApiOperation({ summary: 'A page of the user\'s in-app inbox, newest first, with the unread count', description: 'In-app notifications of the user that are not archived, newest first. Pass `nextCursor` back as `cursor` for the next page.' })
  @ApiOkResponse({ type: InboxPageDto })
  list(@Param('userId') userId: string, @Query() query: InboxQueryDto): Promise<InboxPageDto> {
    return this.listInbox.execute({ userId, ...query });
  }

  @Sse('stream')
  @RequireScope('notifications:read')
  @ApiOperation({
    summary: 'New inbox items as Server-Sent Events',
    description:
      'Events: `ready` once the stream is live (items stored after it are never missed), `inbox.item` with an InboxItem as JSON data ' +
      'for every new item, and `heartbeat` every INBOX_SSE_HEARTBEAT.',
  })
  @ApiProduces('text/event-stream')
  @ApiOkResponse({ description: 'An event stream.' })
  stream(@Param('userId') userId: string): Observable<MessageEvent> {
    return this.streamInbox.execute({ userId, heartbeatMs: this.config.channels.inbox.heartbeatMs }).pipe(
      map((event): MessageEvent => {
        switch (event.kind) {
          case 'ready':
            return { type: 'ready', data: { userId } };
          case 'item':
            return { type: 'inbox.item', id: event.item.id, data: event.item };
          case 'heartbeat':
            return { type: 'heartbeat', data: '' };
        }
      }),
    );
  }

  @Post('read-all')
  @HttpCode(200)
  @RequireScope('notifications:write')
  @ApiOperation({ summary: 'Mark every item of the user read', description: 'Marks every unread item of the user read and answers how many changed.' })
  @ApiOkResponse({ type: MarkAllReadResultDto })
  async readAll(@Param('userId') userId: string): Promise<MarkAllReadResultDto> {
    return { updated: await this.markAllRead.execute({ userId }) };
  }

  @Post(':itemId/read')
  @HttpCode(204)
  @RequireScope('notifications:write')
  @ApiOperation({ summary: 'Mark one item read', description: 'Idempotent. 404 when the user has no such item.' })
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async read(@Param('userId') userId: string, @Param('itemId') itemId: string): Promise<void> {
    await this.markRead.execute({ userId, itemId });
  }

  @Post(':itemId/archive')
  @HttpCode(204)
  @RequireScope('notifications:write')
  @ApiOperation({ summary: 'Archive one item (it leaves the listing and the unread count)', description: 'Idempotent. 404 when the user has no such item.' })
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async archive(@Param('userId') userId: string, @Param('itemId') itemId: string): Promise<void> {
    await this.archiveItem.execute({ userId, itemId });
  }
}
