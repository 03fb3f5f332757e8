import { ApiProperty, ApiPropertyOptional, getSchemaPath, type ApiPropertyOptions } from '@nestjs/swagger';
import { CHANNELS, type Channel } from '../../../../domain/notification/channel';
import { NOTIFICATION_STATUSES, type NotificationStatus } from '../../../../domain/notification/notification-status';
import { ErrorBodyDto } from '../../../../infrastructure/http/error-response.dto';
import type { NotificationContent } from '../../../../domain/notification/notification-request';
import { EmailContentDto } from '../../schema/create-notification.dto';
import { ChatContentDto, InAppContentDto, PushContentDto, SmsContentDto, WebPushContentDto } from '../../schema/channel-content.dto';

export class AcceptedNotificationDto {
  @ApiProperty({ example: '0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b' }) id!: string;
  @ApiProperty({ enum: CHANNELS }) channel!: Channel;
  @ApiProperty({ enum: NOTIFICATION_STATUSES, example: 'queued' }) status!: NotificationStatus;
}

export class AcceptedRequestDto {
  @ApiProperty({ description: 'Identifies the accepted request (event).' }) requestId!: string;
  @ApiProperty({ type: [AcceptedNotificationDto], description: 'One notification per channel.' }) notifications!: AcceptedNotificationDto[];
}

export class BatchItemResultDto {
  @ApiProperty({ example: 0 }) index!: number;
  @ApiProperty({ enum: ['accepted', 'duplicate', 'rejected'], description: 'duplicate: the idempotency key was seen before with the same body; nothing new was created.' })
  outcome!: 'accepted' | 'duplicate' | 'rejected';
  @ApiPropertyOptional() requestId?: string;
  @ApiPropertyOptional({ type: [AcceptedNotificationDto] }) notifications?: AcceptedNotificationDto[];
  @ApiPropertyOptional({ type: ErrorBodyDto }) error?: ErrorBodyDto;
}

export class BatchResultDto {
  @ApiProperty({ example: 1000 }) accepted!: number;
  @ApiProperty({ example: 0 }) duplicates!: number;
  @ApiProperty({ example: 0 }) rejected!: number;
  @ApiProperty({ type: [BatchItemResultDto] }) items!: BatchItemResultDto[];
}

export class DestinationSendDto {
  @ApiProperty({ example: 'fcm:3f1c9a0b7d2e4f61', description: 'Kind and digest of the device token or chat destination (never the token or URL in clear).' })
  destination!: string;
  @ApiProperty({ type: String, example: 'fcm', nullable: true }) provider!: string | null;
  @ApiProperty({ enum: ['sent', 'transient_failure', 'permanent_failure', 'unknown'] }) outcome!: string;
  @ApiProperty({ type: String, example: null, nullable: true, description: 'e.g. fcm_unregistered (the token was removed), apns_BadDeviceToken, slack_channel_not_found' })
  errorCode!: string | null;
  @ApiProperty({ type: String, nullable: true }) errorMessage!: string | null;
  @ApiProperty({ type: String, nullable: true }) providerMessageId!: string | null;
}

export class AttemptDto {
  @ApiProperty({ example: 1 }) attemptNumber!: number;
  @ApiProperty({ type: String, example: 'smtp', nullable: true, description: 'The provider that answered (after any fail-over), e.g. smtp, ses, sendgrid, twilio, sns, vonage, fcm+apns, inbox.' })
  provider!: string | null;
  @ApiProperty({ enum: ['in_flight', 'sent', 'transient_failure', 'permanent_failure', 'unknown'] }) outcome!: string;
  @ApiProperty({ type: String, example: null, nullable: true, description: 'e.g. smtp_451, smtp_550, smtp_lost_after_data' }) errorCode!: string | null;
  @ApiProperty({ type: String, nullable: true }) errorMessage!: string | null;
  @ApiProperty({ type: String, nullable: true }) providerMessageId!: string | null;
  @ApiProperty() startedAt!: Date;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) finishedAt!: Date | null;
  @ApiProperty({ type: Number, nullable: true, example: 42 }) durationMs!: number | null;
  @ApiPropertyOptional({ type: [DestinationSendDto], description: 'Push, web push and chat: one entry per device token or destination sent to in this attempt.' })
  destinations?: DestinationSendDto[];
}

export class StatusChangeDto {
  // OpenAPI 3.0.3: a nullable enum lists null among its values.
  @ApiProperty({ enum: [...NOTIFICATION_STATUSES, null], nullable: true, description: 'null for the first status.' }) from!: NotificationStatus | null;
  @ApiProperty({ enum: NOTIFICATION_STATUSES }) to!: NotificationStatus;
  @ApiProperty({ type: String, nullable: true }) reason!: string | null;
  @ApiProperty() at!: Date;
}

export class NotificationDto {
  @ApiProperty() id!: string;
  @ApiProperty() requestId!: string;
  @ApiProperty({ enum: CHANNELS }) channel!: Channel;
  @ApiProperty({ type: 'object', properties: { userId: { type: 'string' }, email: { type: 'string' }, phone: { type: 'string' } }, additionalProperties: true, example: { userId: 'u-42', email: 'ada@example.com' } }) recipient!: { userId?: string; email?: string; phone?: string };
  @ApiProperty({ type: String, nullable: true, example: 'orders' }) category!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, example: { orderId: 'o-1' } }) metadata!: Record<string, unknown>;
  @ApiProperty({
    enum: NOTIFICATION_STATUSES,
    description:
      'queued: waiting for a worker; sending: a worker holds it; sent: the provider accepted it; failed: permanent error or retries exhausted; ' +
      'unknown: the worker was lost while the provider was being called, so it may or may not have been sent; ' +
      'unsubscribed: the reader used the unsubscribe link or one-click unsubscribe of this message.',
  })
  status!: NotificationStatus;
  @ApiProperty({ type: String, nullable: true }) statusReason!: string | null;
  @ApiProperty() attemptCount!: number;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) nextAttemptAt!: Date | null;
  @ApiProperty({ type: String, nullable: true }) provider!: string | null;
  @ApiProperty({ type: String, nullable: true }) providerMessageId!: string | null;
  @ApiProperty() createdAt!: Date;
  @ApiProperty({ description: 'When the status last changed (attempts have their own start and finish times).' }) updatedAt!: Date;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) sentAt!: Date | null;
  @ApiProperty({ type: [AttemptDto] }) attempts!: AttemptDto[];
  @ApiProperty({ type: [StatusChangeDto] }) history!: StatusChangeDto[];
}

/**
 * Nullable objects are written out in place rather than as a `$ref` under `allOf`: in OpenAPI 3.0 `nullable` does not
 * reach into `allOf`, so a schema validator refuses the null there.
 */
const CONTENT_TEMPLATE_SCHEMA: ApiPropertyOptions = {
  type: 'object',
  nullable: true,
  additionalProperties: false,
  required: ['key', 'version', 'locale'],
  properties: {
    key: { type: 'string', example: 'order-shipped' },
    version: { type: 'integer', nullable: true, example: 3, description: 'The version rendered at acceptance (the latest then); null for notifications accepted before versions were recorded.' },
    locale: { type: 'string', nullable: true, example: 'fr', description: "The locale of the channel's variant, after fallback (asked, else the profile's, else the default)." },
  },
};

/** Each channel's content, as the request's `content` gives it (the same component schemas, named by `$ref`). */
const SENT_CONTENT_PROPERTIES = Object.fromEntries(
  (
    [
      ['email', EmailContentDto],
      ['sms', SmsContentDto],
      ['push', PushContentDto],
      ['webpush', WebPushContentDto],
      ['chat', ChatContentDto],
      ['inapp', InAppContentDto],
    ] as const
  ).map(([channel, dto]) => [channel, { $ref: getSchemaPath(dto) }]),
);

export class NotificationContentDto {
  @ApiProperty({ example: '0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b' }) notificationId!: string;
  @ApiProperty({ enum: CHANNELS }) channel!: Channel;
  @ApiProperty({ enum: NOTIFICATION_STATUSES, example: 'sent' }) status!: NotificationStatus;
  @ApiProperty({ ...CONTENT_TEMPLATE_SCHEMA, description: 'The template it was rendered from; null for content given inline and for topic fan-outs.' })
  template!: { key: string; version: number | null; locale: string | null } | null;
  @ApiProperty({
    type: 'object',
    nullable: true,
    additionalProperties: false,
    // The decorator's types know no `$ref` among properties; the document takes it as written.
    properties: SENT_CONTENT_PROPERTIES as never,
    example: { email: { subject: 'Your order shipped', html: '<p>Hi Ada, order o-1 is on its way</p>\n<p><a href="https://herald.example.com/v1/unsubscribe?token=withheld">Unsubscribe</a></p>' } },
    description:
      "What the last attempt handed to the provider, under the channel's key, in the shape of the request's `content`: email with " +
      'its unsubscribe footer (its signed token withheld: `token=withheld`), without the open pixel and click redirects (shown ' +
      'again, they would count an open and clicks). null until an attempt built a message (not yet sent, or refused before one: ' +
      'no address, no destination).',
  })
  content!: NotificationContent | null;
}
