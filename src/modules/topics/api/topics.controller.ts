import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query, Req, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBadRequestResponse, ApiBearerAuth, ApiBody, ApiForbiddenResponse, ApiHeader, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags, ApiUnauthorizedResponse, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import type { Response } from 'express';
import { IdempotencyKeyReusedError, ValidationFailedError } from '../../../domain/errors/domain-errors';
import type { FanoutProgress } from '../../../domain/ports/topic-fanout.port';
import type { Topic } from '../../../domain/ports/topic-store.port';
import type { AuthenticatedRequest } from '../../access/api/api-key.guard';
import { RequireScope } from '../../access/api/auth.decorators';
import { ErrorResponseDto } from '../../../infrastructure/http/error-response.dto';
import { IdempotencyKey } from '../../../infrastructure/http/idempotency-key.pipe';
import { checkUserId } from '../../recipients/api/user-id';
import { AcceptTopicNotification, type TopicNotificationRequest } from '../application/accept-topic-notification.use-case';
import { ListSubscribers } from '../application/list-subscribers.use-case';
import { ListTopics } from '../application/list-topics.use-case';
import { GetTopic } from '../application/get-topic.use-case';
import { SaveTopic } from '../application/save-topic.use-case';
import { SubscribeUsers } from '../application/subscribe-users.use-case';
import { UnsubscribeUsers } from '../application/unsubscribe-users.use-case';
import {
  CREATE_TOPIC_NOTIFICATION_EXAMPLES,
  CreateTopicNotificationDto,
  FanoutDto,
  ListSubscribersQueryDto,
  ListTopicsQueryDto,
  PutTopicDto,
  SubscribeResultDto,
  SubscriberPageDto,
  SubscribersDto,
  TopicDto,
  TopicListDto,
  UnsubscribeResultDto,
} from './dto/topic.dto';
import { KEY_PATTERN } from '../../../domain/notification/patterns';


function checkKey(key: string): string {
  if (!KEY_PATTERN.test(key)) throw new ValidationFailedError([{ field: 'key', reason: 'must be 1-128 lower-case letters, digits, ".", "_", ":" or "-"' }]);
  return key;
}

function topicView(t: Topic): TopicDto {
  return { key: t.key, name: t.name, subscriberCount: t.subscriberCount, createdAt: t.createdAt };
}

export function fanoutView(f: FanoutProgress): FanoutDto {
  return { ...f };
}

@ApiTags('topics')
@Controller('v1/topics')
export class TopicsController {
  constructor(
    private readonly saveTopic: SaveTopic,
    private readonly getTopic: GetTopic,
    private readonly subscribeUsers: SubscribeUsers,
    private readonly unsubscribeUsers: UnsubscribeUsers,
    private readonly listSubscribers: ListSubscribers,
    private readonly acceptTopicNotification: AcceptTopicNotification,
    private readonly listTopics: ListTopics,
  ) {}

  @Get()
  @RequireScope('notifications:read')
  @ApiOperation({ summary: 'Topics in key order with their subscriber counts, a page at a time', description: 'Keys are in byte order. Keyset pagination: pass `nextCursor` as `cursor`.' })
  @ApiOkResponse({ type: TopicListDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'A limit out of range, or a cursor Herald did not give.' })
  async list(@Query() query: ListTopicsQueryDto): Promise<TopicListDto> {
    const page = await this.listTopics.execute({ after: query.cursor ?? null, limit: query.limit ?? 100 });
    return { items: page.topics.map(topicView), nextCursor: page.nextCursor };
  }

  @ApiParam({ name: 'key', example: 'author-ada-lovelace' })
  @Put(':key')
  @RequireScope('notifications:write')
  @ApiOperation({ summary: 'Create or rename a topic', description: 'Idempotent: creates the topic with this key, or changes its name.' })
  @ApiOkResponse({ type: TopicDto })
  async put(@Param('key') key: string, @Body() body: PutTopicDto): Promise<TopicDto> {
    return topicView(await this.saveTopic.execute({ key: checkKey(key), name: body.name ?? '' }));
  }

  @ApiParam({ name: 'key', example: 'author-ada-lovelace' })
  @Get(':key')
  @RequireScope('notifications:read')
  @ApiOperation({ summary: 'A topic and its subscriber count', description: '404 when no topic has this key.' })
  @ApiOkResponse({ type: TopicDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async get(@Param('key') key: string): Promise<TopicDto> {
    return topicView(await this.getTopic.execute({ key: checkKey(key) }));
  }

  @ApiParam({ name: 'key', example: 'author-ada-lovelace' })
  @Post(':key/subscribers')
  @HttpCode(200)
  @RequireScope('notifications:write')
  @ApiOperation({ summary: 'Subscribe users (the topic is created when new); idempotent', description: 'Adds user ids to the topic; ones already subscribed stay as they were. Answers how many were added.' })
  @ApiOkResponse({ type: SubscribeResultDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  subscribe(@Param('key') key: string, @Body() body: SubscribersDto): Promise<SubscribeResultDto> {
    return this.subscribeUsers.execute({ key: checkKey(key), userIds: body.userIds });
  }

  @ApiParam({ name: 'key', example: 'author-ada-lovelace' })
  @Delete(':key/subscribers/:userId')
  @RequireScope('notifications:write')
  @ApiOperation({ summary: 'Unsubscribe a user', description: 'Removing a user who is not subscribed changes nothing.' })
  @ApiOkResponse({ type: UnsubscribeResultDto })
  unsubscribe(@Param('key') key: string, @Param('userId') userId: string): Promise<UnsubscribeResultDto> {
    return this.unsubscribeUsers.execute({ key: checkKey(key), userIds: [checkUserId(userId)] });
  }

  @ApiParam({ name: 'key', example: 'author-ada-lovelace' })
  @Get(':key/subscribers')
  @RequireScope('notifications:read')
  @ApiOperation({ summary: 'Subscribers in user id order, a page at a time (cursor pagination)', description: 'Pass `nextCursor` back as `after` for the next page. 404 when no topic has this key.' })
  @ApiOkResponse({ type: SubscriberPageDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  subscribers(@Param('key') key: string, @Query() query: ListSubscribersQueryDto): Promise<SubscriberPageDto> {
    return this.listSubscribers.execute({ key: checkKey(key), after: query.after ?? null, limit: query.limit ?? 100 });
  }

  @ApiParam({ name: 'key', example: 'author-ada-lovelace' })
  @Post(':key/notifications')
  @HttpCode(202)
  @RequireScope('notifications:write')
  @ApiOperation({
    summary: 'Send one event to every subscriber',
    description:
      'Answers 202 once the event is stored; notifications (one per subscriber and channel) are created in the background in batches. ' +
      'Follow progress with GET /v1/fanouts/{id}. The same Idempotency-Key and body return the same fan-out (Idempotent-Replayed: true). ' +
      'A fan-out started is recorded in the audit log (`fanout.started`); a replay is not.',
  })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Up to 200 printable ASCII characters; strongly recommended.' })
  @ApiBody({ type: CreateTopicNotificationDto, examples: CREATE_TOPIC_NOTIFICATION_EXAMPLES })
  @ApiAcceptedResponse({ type: FanoutDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'Unknown topic or template.' })
  @ApiUnprocessableEntityResponse({ type: ErrorResponseDto, description: 'Idempotency-Key reused with another body, or a template variable is missing.' })
  async notify(
    @Param('key') key: string,
    @Body() body: CreateTopicNotificationDto,
    @IdempotencyKey() idempotencyKey: string | null,
    @Req() req: AuthenticatedRequest,
    @Res({ passthrough: true }) res: Response,
  ): Promise<FanoutDto> {
    const result = await this.acceptTopicNotification.execute({
      source: `api:${req.principal!.id}`,
      topicKey: checkKey(key),
      idempotencyKey,
      request: JSON.parse(JSON.stringify(body)) as TopicNotificationRequest,
      actorKeyId: req.principal!.id,
    });
    if (result.kind === 'key_reused') throw new IdempotencyKeyReusedError(result.idempotencyKey);
    if (result.kind === 'replayed') res.setHeader('Idempotent-Replayed', 'true');
    res.setHeader('Location', `/v1/fanouts/${result.fanout.id}`);
    return fanoutView(result.fanout);
  }
}
