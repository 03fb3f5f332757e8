import { Module } from '@nestjs/common';
import { ApiKeySelfController, ApiKeysController } from '../../modules/access/api/api-keys.controller';
import { AuditLogController } from '../../modules/access/api/audit-log.controller';
import { AccessModule } from '../../modules/access/access.module';
import { AnalyticsController } from '../../modules/analytics/api/analytics.controller';
import { AnalyticsModule } from '../../modules/analytics/analytics.module';
import { DeadLettersController } from '../../modules/dead-letters/api/dead-letters.controller';
import { ResendUnknownController } from '../../modules/dead-letters/api/resend-unknown.controller';
import { DeadLettersModule } from '../../modules/dead-letters/dead-letters.module';
import { SuppressionsController } from '../../modules/delivery-tracking/api/suppressions.controller';
import { TrackingController } from '../../modules/delivery-tracking/api/tracking.controller';
import { WebhooksController } from '../../modules/delivery-tracking/api/webhooks.controller';
import { DeliveryTrackingModule } from '../../modules/delivery-tracking/delivery-tracking.module';
import { RejectedEventsController } from '../../modules/event-sources/api/rejected-events.controller';
import { EventSourcesModule } from '../../modules/event-sources/event-sources.module';
import { InboxController } from '../../modules/inbox/api/inbox.controller';
import { InboxTokensController } from '../../modules/inbox/api/inbox-tokens.controller';
import { UserInboxController } from '../../modules/inbox/api/user-inbox.controller';
import { InboxModule } from '../../modules/inbox/inbox.module';
import { NotificationsController } from '../../modules/ingestion/api/notifications.controller';
import { IngestionModule } from '../../modules/ingestion/ingestion.module';
import { CategoriesController } from '../../modules/preferences/api/categories.controller';
import { PreferencePageController } from '../../modules/preferences/api/preference-page.controller';
import { RecipientPreferencesController } from '../../modules/preferences/api/recipient-preferences.controller';
import { SmsInboundController } from '../../modules/preferences/api/sms-inbound.controller';
import { UnsubscribeController } from '../../modules/preferences/api/unsubscribe.controller';
import { PreferencesModule } from '../../modules/preferences/preferences.module';
import { ProviderHealthController } from '../../modules/provider-health/api/provider-health.controller';
import { ProviderHealthModule } from '../../modules/provider-health/provider-health.module';
import { RecipientsController } from '../../modules/recipients/api/recipients.controller';
import { RecipientsModule } from '../../modules/recipients/recipients.module';
import { CancelNotificationController } from '../../modules/scheduled-sends/api/cancel-notification.controller';
import { ScheduledSendsModule } from '../../modules/scheduled-sends/scheduled-sends.module';
import { TemplatesController } from '../../modules/templates/api/templates.controller';
import { TemplatesModule } from '../../modules/templates/templates.module';
import { FanoutsController } from '../../modules/topics/api/fanouts.controller';
import { TopicsController } from '../../modules/topics/api/topics.controller';
import { TopicsModule } from '../../modules/topics/topics.module';
import { EventsController } from '../../modules/workflows/api/events.controller';
import { WorkflowRunsController } from '../../modules/workflows/api/workflow-runs.controller';
import { WorkflowsController } from '../../modules/workflows/api/workflows.controller';
import { WorkflowsModule } from '../../modules/workflows/workflows.module';

/** The api role: the HTTP API, the hosted preference pages and the provider webhooks. */
@Module({
  imports: [
    AccessModule,
    IngestionModule,
    InboxModule,
    RecipientsModule,
    PreferencesModule,
    TemplatesModule,
    TopicsModule,
    DeadLettersModule,
    ScheduledSendsModule,
    DeliveryTrackingModule,
    EventSourcesModule,
    AnalyticsModule,
    ProviderHealthModule,
    WorkflowsModule,
  ],
  controllers: [
    ApiKeySelfController,
    ApiKeysController,
    AuditLogController,
    NotificationsController,
    ResendUnknownController,
    InboxController,
    InboxTokensController,
    UserInboxController,
    RecipientsController,
    CategoriesController,
    RecipientPreferencesController,
    UnsubscribeController,
    PreferencePageController,
    SmsInboundController,
    TemplatesController,
    TopicsController,
    FanoutsController,
    DeadLettersController,
    CancelNotificationController,
    WebhooksController,
    SuppressionsController,
    TrackingController,
    RejectedEventsController,
    AnalyticsController,
    ProviderHealthController,
    WorkflowsController,
    EventsController,
    WorkflowRunsController,
  ],
})
export class ApiRoleModule {}
