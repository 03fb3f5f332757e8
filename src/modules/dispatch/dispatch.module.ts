import { Module } from '@nestjs/common';
import type { DispatchGate } from '../../domain/notification/dispatch-gate';
import { MetricsModule } from '../../infrastructure/metrics/metrics.module';
import { ChannelProvidersModule } from '../../infrastructure/providers/channel-providers.module';
import { EmailProvidersModule } from '../../infrastructure/providers/email-providers.module';
import { SqsInfrastructureModule } from '../../infrastructure/sqs/sqs.module';
import { DeliveryPersistenceModule } from '../../infrastructure/typeorm/delivery-persistence.module';
import { InboxPersistenceModule } from '../../infrastructure/typeorm/inbox-persistence.module';
import { RecipientsPersistenceModule } from '../../infrastructure/typeorm/recipients-persistence.module';
import { SuppressionGate } from '../delivery-tracking/gates/suppression.gate';
import { EmailTracking } from '../delivery-tracking/open-click-tracking/email-tracking';
import { PreferenceDispatchGate } from '../preferences/application/preference.dispatch-gate';
import { PreferencesModule } from '../preferences/preferences.module';
import { PublishOutbox } from './application/publish-outbox.use-case';
import { ResolveRecipients } from './application/resolve-recipients';
import { DISPATCH_GATES, SendNotifications } from './application/send-notifications.use-case';
import { WorkerIdentity } from './application/worker-identity';
import { ChannelSenders } from './channels/channel-senders';
import { ChatChannelSender } from './channels/chat.channel-sender';
import { EmailChannelSender } from './channels/email.channel-sender';
import { InAppChannelSender } from './channels/inapp.channel-sender';
import { PushChannelSender } from './channels/push.channel-sender';
import { SmsChannelSender } from './channels/sms.channel-sender';
import { WebPushChannelSender } from './channels/web-push.channel-sender';
import { PolitenessGate } from './gates/politeness.gate';
import { QuietHoursGate } from './gates/quiet-hours.gate';
import { ProviderRouter } from './routing/provider-router';

/**
 * Sending: channel senders, the gates, and the send and relay use cases. The queue consumers and the relay loop
 * that call them are added by the worker and relay roles.
 */
@Module({
  imports: [
    EmailProvidersModule,
    ChannelProvidersModule,
    PreferencesModule,
    DeliveryPersistenceModule,
    RecipientsPersistenceModule,
    InboxPersistenceModule,
    SqsInfrastructureModule,
    MetricsModule,
  ],
  providers: [
    WorkerIdentity,
    EmailChannelSender,
    SmsChannelSender,
    PushChannelSender,
    WebPushChannelSender,
    ChatChannelSender,
    InAppChannelSender,
    ProviderRouter,
    ResolveRecipients,
    EmailTracking,
    ChannelSenders,
    SendNotifications,
    PublishOutbox,
    QuietHoursGate,
    PolitenessGate,
    SuppressionGate,
    // Gates run in this order before any provider is called; add new gates to `inject` and the list.
    {
      provide: DISPATCH_GATES,
      inject: [SuppressionGate, PreferenceDispatchGate, QuietHoursGate, PolitenessGate],
      useFactory: (...gates: DispatchGate[]) => gates,
    },
  ],
  exports: [ChannelSenders, SendNotifications, PublishOutbox, ProviderRouter, WorkerIdentity],
})
export class DispatchModule {}
