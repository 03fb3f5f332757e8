import type { components, operations } from './generated/herald-api.js';

type Schemas = components['schemas'];
type Query<Op extends keyof operations> = NonNullable<operations[Op]['parameters']['query']>;

export type Channel = NonNullable<Schemas['CreateNotificationDto']['channels']>[number];

export type SendNotificationRequest = Schemas['CreateNotificationDto'];
export type SendNotificationResult = Schemas['AcceptedRequestDto'];
export type BatchItem = Schemas['BatchItemDto'];
export type BatchResult = Schemas['BatchResultDto'];
export type Notification = Schemas['NotificationDto'];
export type NotificationContent = Schemas['NotificationContentDto'];
export type CancelledNotification = Schemas['CancelledNotificationDto'];
export type NotificationListOptions = Query<'NotificationsController_list'>;
export type NotificationList = Schemas['NotificationListDto'];
export type ResendUnknownResult = Schemas['ResendUnknownResultDto'];
export type EngagementOptions = Query<'AnalyticsController_engagement'>;
export type EngagementReport = Schemas['EngagementReportDto'];
export type EngagementBucket = Schemas['EngagementBucketDto'];
export type ProviderHealthOptions = Query<'ProviderHealthController_health'>;
export type ProviderHealthReport = Schemas['ProviderHealthReportDto'];
export type ProviderHealth = Schemas['ProviderHealthDto'];

export type CreateApiKeyRequest = Schemas['CreateApiKeyDto'];
export type CreatedApiKey = Schemas['CreatedApiKeyDto'];
export type ApiKey = Schemas['ApiKeyDto'];
export type ApiKeyList = Schemas['ApiKeyListDto'];
export type AuditLogListOptions = Query<'AuditLogController_list'>;
export type AuditLogPage = Schemas['AuditLogDto'];

export type PutRecipientRequest = Schemas['PutRecipientDto'];
export type Recipient = Schemas['RecipientResponseDto'];

export type Preferences = Schemas['PreferencesDto'];
export type PutPreferencesRequest = Schemas['PutPreferencesDto'];
export type PreferenceLink = Schemas['PreferenceLinkDto'];
export type PutCategoryRequest = Schemas['PutCategoryDto'];
export type Category = Schemas['CategoryDto'];

export type PutTemplateRequest = Schemas['PutTemplateDto'];
export type Template = Schemas['TemplateDto'];
export type TemplateGetOptions = Query<'TemplatesController_get'>;
export type PreviewTemplateRequest = Schemas['PreviewTemplateDto'];
export type TemplatePreview = Schemas['TemplatePreviewDto'];
export type TemplateListOptions = Query<'TemplatesController_list'>;
export type TemplateList = Schemas['TemplateListDto'];
export type TemplateSummary = Schemas['TemplateSummaryDto'];
export type PutWorkflowRequest = Schemas['PutWorkflowDto'];
export type Workflow = Schemas['WorkflowDto'];
export type WorkflowGetOptions = Query<'WorkflowsController_get'>;
export type WorkflowListOptions = Query<'WorkflowsController_list'>;
export type WorkflowList = Schemas['WorkflowListDto'];
export type TriggerEventRequest = Schemas['TriggerEventDto'];
export type TriggerResult = Schemas['TriggerResultDto'];
export type WorkflowRun = Schemas['WorkflowRunDto'];
export type WorkflowRunListOptions = Query<'WorkflowRunsController_list'>;
export type WorkflowRunList = Schemas['WorkflowRunListDto'];
export type CancelledWorkflowRuns = Schemas['CancelledRunsDto'];

export type PutTopicRequest = Schemas['PutTopicDto'];
export type Topic = Schemas['TopicDto'];
export type SubscribeResult = Schemas['SubscribeResultDto'];
export type UnsubscribeResult = Schemas['UnsubscribeResultDto'];
export type SubscriberListOptions = Query<'TopicsController_subscribers'>;
export type SubscriberPage = Schemas['SubscriberPageDto'];
export type NotifyTopicRequest = Schemas['CreateTopicNotificationDto'];
export type Fanout = Schemas['FanoutDto'];
export type TopicListOptions = Query<'TopicsController_list'>;
export type TopicList = Schemas['TopicListDto'];
/** The query of GET /v1/fanouts but its topic, which `listFanouts` takes first. */
export type FanoutListOptions = Omit<Query<'FanoutsController_list'>, 'topic'>;
export type FanoutList = Schemas['FanoutListDto'];

export type InboxListOptions = Query<'InboxController_list'>;
export type InboxPage = Schemas['InboxPageDto'];
export type InboxItem = Schemas['InboxItemDto'];

export type CreateInboxTokenRequest = Schemas['CreateInboxTokenDto'];
export type InboxToken = Schemas['InboxTokenDto'];
export type UserInboxListOptions = Query<'UserInboxController_list'>;
export type InboxFilter = NonNullable<UserInboxListOptions['filter']>;
export type UserInboxPage = Schemas['UserInboxPageDto'];
export type InboxCounts = Schemas['InboxCountsDto'];
export type BulkMarkResult = Schemas['BulkMarkResultDto'];
export type WebPushKey = Schemas['WebPushKeyDto'];
/** A browser's PushSubscription as `toJSON()` gives it. */
export type WebPushSubscription = Schemas['WebPushSubscriptionDto'];
export type MarkAllReadResult = Schemas['MarkAllReadResultDto'];

export type FailedNotificationListOptions = Query<'DeadLettersController_failed'>;
export type FailedNotificationList = Schemas['FailedNotificationListDto'];
export type RedriveFailedRequest = Schemas['RedriveFailedDto'];
export type RedriveFailedResult = Schemas['RedriveFailedResultDto'];
export type DeadLetterChannel = operations['DeadLettersController_deadLetters']['parameters']['path']['channel'];
export type DeadLetterListOptions = Query<'DeadLettersController_deadLetters'>;
export type DeadLetterList = Schemas['DeadLetterListDto'];
export type RedriveDeadLettersRequest = Schemas['RedriveDeadLettersDto'];
export type DeadLetterRedriveResult = Schemas['DeadLetterRedriveResultDto'];

export type SuppressionListOptions = Query<'SuppressionsController_list'>;
export type SuppressionList = Schemas['SuppressionListDto'];
export type AddSuppressionRequest = Schemas['AddSuppressionDto'];
export type AddSuppressionResult = Schemas['AddSuppressionResultDto'];
export type SuppressionChannel = operations['SuppressionsController_remove']['parameters']['path']['channel'];

export type RejectedEventListOptions = Query<'RejectedEventsController_list'>;
export type RejectedEventsPage = Schemas['RejectedEventsPageDto'];

/** For calls that create: the key Herald uses to answer a repeat with what the first created. */
export interface IdempotentOptions {
  /** Default: a new random UUID per call, reused by the SDK's own retries of that call. */
  idempotencyKey?: string;
}
