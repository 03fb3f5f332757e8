import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Post, Put, Query, Req, Sse, type MessageEvent } from '@nestjs/common';
import { ApiBadRequestResponse, ApiHeader, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import { map, type Observable } from 'rxjs';
import { ValidationFailedError } from '../../../domain/errors/domain-errors';
import type { InboxBulkMark, InboxMark } from '../../../domain/ports/inbox.port';
import { HeraldConfig } from '../../../infrastructure/config/herald-config';
import { ERROR_RESPONSE_CONTENT } from '../../../infrastructure/http/error-response.dto';
import type { AuthenticatedRequest } from '../../access/api/api-key.guard';
import { RequireUserToken } from '../../access/api/auth.decorators';
import { PreferencesDto, PutPreferencesDto } from '../../preferences/api/dto/preferences.dto';
import { GetPreferences } from '../../preferences/application/get-preferences.use-case';
import { UpdateOwnPreferences } from '../../preferences/application/update-own-preferences.use-case';
import { GetWebPushKey } from '../../recipients/application/get-web-push-key.use-case';
import { RemoveWebPushSubscription } from '../../recipients/application/remove-web-push-subscription.use-case';
import { SaveWebPushSubscription } from '../../recipients/application/save-web-push-subscription.use-case';
import { GetInboxCounts } from '../application/get-inbox-counts.use-case';
import { InboxStreamSlots } from '../application/inbox-stream-slots';
import { ListUserInbox } from '../application/list-user-inbox.use-case';
import { MarkAllInbox } from '../application/mark-all-inbox.use-case';
import { MarkInboxItem } from '../application/mark-inbox-item.use-case';
import { StreamUserInbox } from '../application/stream-user-inbox.use-case';
import {
  BulkMarkResultDto,
  InboxCountsDto,
  RemoveWebPushSubscriptionDto,
  UserInboxPageDto,
  UserInboxQueryDto,
  WebPushKeyDto,
  WebPushSubscriptionDto,
} from './dto/inbox.dto';

const ItemNotFound = () =>
  ApiNotFoundResponse({ content: ERROR_RESPONSE_CONTENT, description: '`inbox_item_not_found`: the user has no such item; `inbox_tokens_disabled`: INBOX_TOKEN_SECRET is not set.' });

/**
 * The signed-in user's own inbox, called from their browser with a user token (docs/inbox.md): the user is the
 * token's, never a parameter, so a token can reach no other inbox.
 */
@ApiTags('inbox')
@RequireUserToken()
@Controller('v1/inbox')
export class UserInboxController {
  constructor(
    private readonly listInbox: ListUserInbox,
    private readonly getCounts: GetInboxCounts,
    private readonly markItem: MarkInboxItem,
    private readonly markAll: MarkAllInbox,
    private readonly streamInbox: StreamUserInbox,
    private readonly streamSlots: InboxStreamSlots,
    private readonly getPreferences: GetPreferences,
    private readonly updatePreferences: UpdateOwnPreferences,
    private readonly getWebPushKey: GetWebPushKey,
    private readonly saveSubscription: SaveWebPushSubscription,
    private readonly removeSubscription: RemoveWebPushSubscription,
    private readonly config: HeraldConfig,
  ) {}

  @Get('items')
  @ApiOperation({ summary: "A page of the user's inbox, newest first", description: 'Pass `nextCursor` back as `cursor`, with the same `filter` and `category`, for the next page.' })
  @ApiOkResponse({ type: UserInboxPageDto })
  @ApiBadRequestResponse({ content: ERROR_RESPONSE_CONTENT, description: '`validation_failed`: an unknown filter, a category that is not a category name, a cursor Herald did not give, or a limit outside 1-100.' })
  list(@Req() req: AuthenticatedRequest, @Query() query: UserInboxQueryDto): Promise<UserInboxPageDto> {
    return this.listInbox.execute({ userId: userOf(req), ...query });
  }

  @Get('counts')
  @ApiOperation({ summary: 'Unread and unseen items of the user (archived ones left out)', description: 'What a badge shows; the stream sends the same as `inbox.counts` after every change.' })
  @ApiOkResponse({ type: InboxCountsDto })
  counts(@Req() req: AuthenticatedRequest): Promise<InboxCountsDto> {
    return this.getCounts.execute({ userId: userOf(req) });
  }

  @Post('items/:id/read')
  @HttpCode(204)
  @ApiOperation({ summary: 'Mark one item read (and seen)', description: 'Idempotent.' })
  @ApiNoContentResponse()
  @ItemNotFound()
  async read(@Req() req: AuthenticatedRequest, @Param('id') id: string): Promise<void> {
    await this.mark(req, id, 'read');
  }

  @Post('items/:id/unread')
  @HttpCode(204)
  @ApiOperation({ summary: 'Mark one item unread', description: 'Idempotent; it stays seen.' })
  @ApiNoContentResponse()
  @ItemNotFound()
  async unread(@Req() req: AuthenticatedRequest, @Param('id') id: string): Promise<void> {
    await this.mark(req, id, 'unread');
  }

  @Post('items/:id/seen')
  @HttpCode(204)
  @ApiOperation({ summary: 'Mark one item seen', description: 'Idempotent.' })
  @ApiNoContentResponse()
  @ItemNotFound()
  async seen(@Req() req: AuthenticatedRequest, @Param('id') id: string): Promise<void> {
    await this.mark(req, id, 'seen');
  }

  @Post('items/:id/archive')
  @HttpCode(204)
  @ApiOperation({ summary: 'Archive one item (it leaves the listing and the counts)', description: 'Idempotent.' })
  @ApiNoContentResponse()
  @ItemNotFound()
  async archive(@Req() req: AuthenticatedRequest, @Param('id') id: string): Promise<void> {
    await this.mark(req, id, 'archive');
  }

  @Post('items/:id/unarchive')
  @HttpCode(204)
  @ApiOperation({ summary: 'Bring one archived item back', description: 'Idempotent.' })
  @ApiNoContentResponse()
  @ItemNotFound()
  async unarchive(@Req() req: AuthenticatedRequest, @Param('id') id: string): Promise<void> {
    await this.mark(req, id, 'unarchive');
  }

  @Post('read-all')
  @HttpCode(200)
  @ApiOperation({ summary: 'Mark every unarchived item read (and seen)', description: 'Answers how many items changed.' })
  @ApiOkResponse({ type: BulkMarkResultDto })
  readAll(@Req() req: AuthenticatedRequest): Promise<BulkMarkResultDto> {
    return this.bulk(req, 'read');
  }

  @Post('seen-all')
  @HttpCode(200)
  @ApiOperation({ summary: 'Mark every unarchived item seen', description: 'Answers how many items changed: opening the inbox clears the badge.' })
  @ApiOkResponse({ type: BulkMarkResultDto })
  seenAll(@Req() req: AuthenticatedRequest): Promise<BulkMarkResultDto> {
    return this.bulk(req, 'seen');
  }

  @Post('archive-all')
  @HttpCode(200)
  @ApiOperation({ summary: 'Archive every item', description: 'Answers how many items changed.' })
  @ApiOkResponse({ type: BulkMarkResultDto })
  archiveAll(@Req() req: AuthenticatedRequest): Promise<BulkMarkResultDto> {
    return this.bulk(req, 'archive');
  }

  @Sse('stream')
  @ApiOperation({
    summary: "The user's inbox as it changes, as Server-Sent Events",
    description:
      'Send the token in the Authorization header (use fetch streaming: EventSource cannot send headers). Events: `inbox.item` with an InboxItem as JSON ' +
      'data and its `sequence` as the event `id`; `ready` once the stream has caught up and is live; `inbox.counts` ({unread, unseen}) after `ready` and after every change; ' +
      '`heartbeat` every INBOX_SSE_HEARTBEAT. Every event carries an `id`: the sequence of the last item delivered (or, at the start, of the newest item). ' +
      'With `Last-Event-ID` (the last `id` received, or the `sequence` of the newest item a page listed), every item stored after it is sent first, ' +
      'oldest first, then live ones, each once. The stream ends when the token stops being accepted (its expiry plus the clock skew allowed), and may end at any time: reconnect with `Last-Event-ID`. ' +
      'A user has at most INBOX_MAX_STREAMS_PER_USER streams open per api process; one more gets 429 `too_many_streams`.',
  })
  @ApiHeader({ name: 'Last-Event-ID', required: false, description: 'The `id` of the last `inbox.item` event received: resume after it.', schema: { type: 'string', pattern: '^\\d{1,18}$' } })
  @ApiProduces('text/event-stream')
  @ApiOkResponse({ description: 'An event stream.' })
  @ApiBadRequestResponse({ content: ERROR_RESPONSE_CONTENT, description: '`validation_failed`: a Last-Event-ID that is not an event id of this stream.' })
  @ApiTooManyRequestsResponse({
    content: ERROR_RESPONSE_CONTENT,
    description: '`too_many_streams`: the user has INBOX_MAX_STREAMS_PER_USER streams open already; `rate_limited`: the user used its budget of requests per minute.',
    headers: { 'Retry-After': { description: 'Seconds to wait.', schema: { type: 'integer' } } },
  })
  stream(@Req() req: AuthenticatedRequest, @Headers('last-event-id') lastEventId: string | undefined): Observable<MessageEvent> {
    const { userId, acceptedUntil } = req.inboxUser!;
    const given = lastEventId?.trim() ?? '';
    if (given && !/^\d{1,18}$/.test(given)) throw new ValidationFailedError([{ field: 'Last-Event-ID', reason: 'must be the id of an inbox.item event of this stream' }]);
    // The slot is held exactly as long as the connection: released when it closes, however the stream ended.
    const release = this.streamSlots.acquire(userId);
    req.res!.once('close', release);
    if (req.socket.destroyed) release();
    return this.streamInbox
      .execute({ userId, afterSequence: given ? Number(given) : null, heartbeatMs: this.config.channels.inbox.heartbeatMs, endsAt: acceptedUntil })
      .pipe(
        map((event): MessageEvent => {
          switch (event.kind) {
            case 'ready':
              return { type: 'ready', id: String(event.position), data: { userId } };
            case 'item':
              return { type: 'inbox.item', id: String(event.item.sequence), data: event.item };
            case 'counts':
              return { type: 'inbox.counts', id: String(event.position), data: event.counts };
            case 'heartbeat':
              return { type: 'heartbeat', id: String(event.position), data: '' };
          }
        }),
      );
  }

  @Get('preferences')
  @ApiOperation({ summary: "The user's own choices, opt-outs and what they mean for every category and channel", description: 'As GET /v1/recipients/{userId}/preferences.' })
  @ApiOkResponse({ type: PreferencesDto })
  preferences(@Req() req: AuthenticatedRequest): Promise<PreferencesDto> {
    return this.getPreferences.execute({ userId: userOf(req) });
  }

  @Put('preferences')
  @ApiOperation({
    summary: "Replace the user's own choices and channel opt-outs",
    description:
      'As PUT /v1/recipients/{userId}/preferences, for what a user may change: declared categories that are not critical, and channel opt-outs. ' +
      'Choices for critical or undeclared categories stay as stored: sent back as read, or left out, they are kept; changed, the request is refused.',
  })
  @ApiOkResponse({ type: PreferencesDto })
  @ApiBadRequestResponse({ content: ERROR_RESPONSE_CONTENT, description: '`validation_failed`: `details` names each field, including a critical or undeclared category the body would change.' })
  putPreferences(@Req() req: AuthenticatedRequest, @Body() body: PutPreferencesDto): Promise<PreferencesDto> {
    return this.updatePreferences.execute({ userId: userOf(req), categories: body.categories, optedOutChannels: body.optedOutChannels });
  }

  @Get('webpush/key')
  @ApiOperation({ summary: 'The VAPID public key browsers subscribe to web push with', description: 'Pass it as `applicationServerKey` to pushManager.subscribe().' })
  @ApiOkResponse({ type: WebPushKeyDto })
  @ApiNotFoundResponse({ content: ERROR_RESPONSE_CONTENT, description: '`webpush_not_configured`: no VAPID keys; `inbox_tokens_disabled`: INBOX_TOKEN_SECRET is not set.' })
  webPushKey(): WebPushKeyDto {
    return this.getWebPushKey.execute();
  }

  @Put('webpush/subscriptions')
  @HttpCode(204)
  @ApiOperation({
    summary: "Store this browser's push subscription for the user",
    description:
      "The body is the browser's PushSubscription as JSON. It becomes a `webpush` device token of the user's recipient profile (created if there is none), " +
      'where the webpush channel sends; storing the same endpoint again replaces its keys. A user keeps at most 10 subscriptions, the oldest dropped first.',
  })
  @ApiNoContentResponse()
  @ApiBadRequestResponse({ content: ERROR_RESPONSE_CONTENT, description: '`validation_failed`: missing keys, or an endpoint Herald may not call (not https, or a private address).' })
  @ApiNotFoundResponse({ content: ERROR_RESPONSE_CONTENT, description: '`webpush_not_configured`: no VAPID keys; `inbox_tokens_disabled`: INBOX_TOKEN_SECRET is not set.' })
  async subscribe(@Req() req: AuthenticatedRequest, @Body() body: WebPushSubscriptionDto): Promise<void> {
    await this.saveSubscription.execute({ userId: userOf(req), endpoint: body.endpoint, keys: { p256dh: body.keys.p256dh, auth: body.keys.auth } });
  }

  @Delete('webpush/subscriptions')
  @HttpCode(204)
  @ApiOperation({ summary: "Forget a browser's push subscription", description: 'Idempotent: an endpoint the user does not have changes nothing.' })
  @ApiNoContentResponse()
  async unsubscribe(@Req() req: AuthenticatedRequest, @Body() body: RemoveWebPushSubscriptionDto): Promise<void> {
    await this.removeSubscription.execute({ userId: userOf(req), endpoint: body.endpoint });
  }

  private async mark(req: AuthenticatedRequest, itemId: string, mark: InboxMark): Promise<void> {
    await this.markItem.execute({ userId: userOf(req), itemId, mark });
  }

  private async bulk(req: AuthenticatedRequest, mark: InboxBulkMark): Promise<BulkMarkResultDto> {
    return { updated: await this.markAll.execute({ userId: userOf(req), mark }) };
  }
}

/** The user the guard let in: the token's subject. */
function userOf(req: AuthenticatedRequest): string {
  return req.inboxUser!.userId;
}
