import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiBody,
  ApiForbiddenResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { IdempotencyKeyReusedError, ValidationFailedError } from '../../../domain/errors/domain-errors';
import type { NotificationRequest } from '../../../domain/notification/notification-request';
import type { IntakeResult } from '../../../domain/ports/notification-intake.port';
import type { NotificationFeedFilter } from '../../../domain/ports/notification-reader.port';
import { RequireScope } from '../../access/api/auth.decorators';
import type { AuthenticatedRequest } from '../../access/api/api-key.guard';
import { IdempotencyKey } from '../../../infrastructure/http/idempotency-key.pipe';
import { ValidatedBody } from '../../../infrastructure/http/validated-body.pipe';
import { AcceptNotifications, refusalOf, type AcceptOutcome } from '../application/accept-notifications.use-case';
import { GetNotification } from '../application/get-notification.use-case';
import { ListNotifications } from '../application/list-notifications.use-case';
import { CREATE_NOTIFICATION_BATCH_EXAMPLES, CREATE_NOTIFICATION_EXAMPLES, CreateNotificationBatchDto, CreateNotificationDto } from '../schema/create-notification.dto';
import { AcceptedRequestDto, BatchResultDto, NotificationContentDto, NotificationDto, type BatchItemResultDto } from './dto/notification-responses.dto';
import { GetNotificationContent } from '../application/get-notification-content.use-case';
import { ListNotificationsQueryDto, NotificationListDto } from './dto/list-notifications.dto';
import { decodeCursor, encodeCursor } from '../../../infrastructure/http/list-cursor';
import { ErrorResponseDto } from '../../../infrastructure/http/error-response.dto';

/**
 * The bodies as plain data, validated against the DTOs (which also document them): intake is the busiest
 * path, and the DTO instances the global pipe would build are not needed past validation.
 */
type BatchBody = { items: Array<NotificationRequest & { idempotencyKey?: string }> };

@ApiTags('notifications')
@Controller('v1/notifications')
export class NotificationsController {
  constructor(
    private readonly acceptNotifications: AcceptNotifications,
    private readonly getNotification: GetNotification,
    private readonly listNotifications: ListNotifications,
    private readonly getNotificationContent: GetNotificationContent,
  ) {}

  @Post()
  @HttpCode(202)
  @RequireScope('notifications:write')
  @ApiOperation({
    summary: 'Send a notification',
    description:
      'Answers 202 once the notification (one per channel) is durably stored. Retrying with the same Idempotency-Key and body ' +
      'returns the same notifications and creates nothing (header Idempotent-Replayed: true); the same key with another body is refused with 422.',
  })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Up to 200 printable ASCII characters; unique per API key, kept at least 72 hours.' })
  @ApiBody({ type: CreateNotificationDto, examples: CREATE_NOTIFICATION_EXAMPLES })
  @ApiAcceptedResponse({ type: AcceptedRequestDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'Invalid request; `details` lists every offending field.' })
  @ApiUnprocessableEntityResponse({ type: ErrorResponseDto, description: 'The Idempotency-Key was used before with a different body.' })
  @ApiPayloadTooLargeResponse({ type: ErrorResponseDto })
  async create(
    @Body(new ValidatedBody(CreateNotificationDto)) body: NotificationRequest,
    @IdempotencyKey() key: string | null,
    @Req() req: AuthenticatedRequest,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AcceptedRequestDto> {
    const [result] = storedOrRefused(await this.acceptNotifications.execute({ source: sourceOf(req), items: [{ idempotencyKey: key, request: body }], allOrNothing: true }));
    if (result.kind === 'key_reused') throw new IdempotencyKeyReusedError(result.idempotencyKey);
    if (result.kind === 'replayed') res.setHeader('Idempotent-Replayed', 'true');
    return { requestId: result.requestId, notifications: result.notifications };
  }

  @Post('batch')
  @HttpCode(202)
  @RequireScope('notifications:write')
  @ApiOperation({
    summary: 'Send up to 1,000 notifications in one transaction',
    description:
      'All items are validated first: any invalid item fails the whole batch with 400 and nothing is stored. Otherwise every item is ' +
      'stored in one transaction and reported as accepted, duplicate (idempotency key seen before with the same body) or rejected ' +
      '(key seen before with another body).',
  })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Default key prefix: an item without its own key uses "<header>:<index>".' })
  @ApiBody({ type: CreateNotificationBatchDto, examples: CREATE_NOTIFICATION_BATCH_EXAMPLES })
  @ApiAcceptedResponse({ type: BatchResultDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  @ApiPayloadTooLargeResponse({ type: ErrorResponseDto })
  async createBatch(
    @Body(new ValidatedBody(CreateNotificationBatchDto)) body: BatchBody,
    @IdempotencyKey() prefix: string | null,
    @Req() req: AuthenticatedRequest,
  ): Promise<BatchResultDto> {
    const items = body.items.map(({ idempotencyKey: own, ...request }, i) => ({
      idempotencyKey: own ?? (prefix ? `${prefix}:${i}` : null),
      request,
    }));
    const results = storedOrRefused(await this.acceptNotifications.execute({ source: sourceOf(req), items, allOrNothing: true }));
    const mapped = results.map((r, index) => batchItem(r, index));
    return {
      accepted: mapped.filter((m) => m.outcome === 'accepted').length,
      duplicates: mapped.filter((m) => m.outcome === 'duplicate').length,
      rejected: mapped.filter((m) => m.outcome === 'rejected').length,
      items: mapped,
    };
  }

  @Get()
  @RequireScope('notifications:read')
  @ApiOperation({
    summary: 'Activity feed: notifications matching filters, newest first',
    description:
      'Every filter given must match: recipient (`userId`, `email`, `phone`), `status`, `channel`, `category`, `provider`, `template`, ' +
      '`topic` or `fanoutId` (created by a fan-out), `idempotencyKey`, `metadata` pairs and a creation window. Ordered by creation time, ' +
      'then id, newest first. Keyset pagination: pass `nextCursor` as `cursor` with the same filters.',
  })
  @ApiOkResponse({ type: NotificationListDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'An unknown status or channel, a malformed filter, a limit out of range, or a cursor Herald did not give.' })
  async list(@Query() query: ListNotificationsQueryDto): Promise<NotificationListDto> {
    const page = await this.listNotifications.execute({ filter: feedFilterOf(query), limit: query.limit ?? 50, after: query.cursor ? decodeCursor(query.cursor) : null });
    return { items: page.items, nextCursor: page.next ? encodeCursor(page.next) : null };
  }

  @Get(':id')
  @RequireScope('notifications:read')
  @ApiOperation({ summary: 'Status of a notification, with every delivery attempt and status change', description: 'The notification as stored: its status and why, the provider and its message id, every attempt (with per-destination results for push and chat) and every status change, oldest first. 404 when no notification has this id.' })
  @ApiOkResponse({ type: NotificationDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  get(@Param('id') id: string): Promise<NotificationDto> {
    return this.getNotification.execute({ id });
  }

  @Get(':id/content')
  @RequireScope('notifications:read')
  @ApiOperation({
    summary: 'Content of a notification as it was sent',
    description:
      'What the last attempt handed to the provider (email subject, HTML and text with the unsubscribe footer; SMS text; push and web push ' +
      'title and body; chat text; in-app title and body), for templates and inline content alike, with the template version and locale it ' +
      'was rendered from. `content` is null until an attempt built a message. Sealed at rest when DATA_ENCRYPTION_KEYS is set. 404 when no ' +
      'notification has this id.',
  })
  @ApiOkResponse({ type: NotificationContentDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  content(@Param('id') id: string): Promise<NotificationContentDto> {
    return this.getNotificationContent.execute({ id });
  }
}

function feedFilterOf(query: ListNotificationsQueryDto): NotificationFeedFilter {
  const { limit: _limit, cursor: _cursor, metadata, createdFrom, createdTo, ...fields } = query;
  const from = createdFrom === undefined ? undefined : new Date(createdFrom);
  const to = createdTo === undefined ? undefined : new Date(createdTo);
  if (from && to && from >= to) throw new ValidationFailedError([{ field: 'createdTo', reason: 'must be later than createdFrom' }]);
  return {
    ...fields,
    ...(metadata ? { metadata: Object.fromEntries(metadata.split(',').map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)])) } : {}),
    ...(from ? { createdFrom: from } : {}),
    ...(to ? { createdTo: to } : {}),
  };
}

function sourceOf(req: AuthenticatedRequest): string {
  return `api:${req.principal!.id}`;
}

/** Any refused item refuses the whole request (nothing was stored), answered as one error. */
function storedOrRefused(outcomes: AcceptOutcome[]): IntakeResult[] {
  const refusal = refusalOf(outcomes);
  if (refusal) throw refusal;
  return outcomes as IntakeResult[];
}

function batchItem(result: IntakeResult, index: number): BatchItemResultDto {
  switch (result.kind) {
    case 'created':
      return { index, outcome: 'accepted', requestId: result.requestId, notifications: result.notifications };
    case 'replayed':
      return { index, outcome: 'duplicate', requestId: result.requestId, notifications: result.notifications };
    case 'key_reused': {
      const error = new IdempotencyKeyReusedError(result.idempotencyKey);
      return { index, outcome: 'rejected', error: { code: error.code, message: error.message } };
    }
  }
}
