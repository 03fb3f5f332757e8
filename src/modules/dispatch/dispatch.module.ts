import { SQSClient } from '@aws-sdk/client-sqs';
import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import { SqsModule } from '@ssut/nestjs-sqs';
import type { DispatchGate } from '../../domain/notification/dispatch-gate';
import { HeraldConfig } from '../../infrastructure/config/herald-config';
import { workerChannels, type Role } from '../../infrastructure/config/roles';
import { EmailProvidersModule } from '../../infrastructure/providers/email-providers.module';
import { QueueDirectory } from '../../infrastructure/sqs/queue-directory';
import { PublishOutbox } from './application/publish-outbox.use-case';
import { DISPATCH_GATES, SendNotifications } from './application/send-notifications.use-case';
import { WorkerIdentity } from './application/worker-identity';
import { ChannelSenders } from './channels/channel-senders';
import { EmailChannelSender } from './channels/email.channel-sender';
import { EmailQueueConsumer } from './consumers/email-queue.consumer';
import { SmsQueueConsumer } from './consumers/sms-queue.consumer';
import { PushQueueConsumer } from './consumers/push-queue.consumer';
import { WebPushQueueConsumer } from './consumers/web-push-queue.consumer';
import { ChatQueueConsumer } from './consumers/chat-queue.consumer';
import { InAppQueueConsumer } from './consumers/inapp-queue.consumer';
import { SmsChannelSender } from './channels/sms.channel-sender';
import { PushChannelSender } from './channels/push.channel-sender';
import { WebPushChannelSender } from './channels/web-push.channel-sender';
import { ChatChannelSender } from './channels/chat.channel-sender';
import { InAppChannelSender } from './channels/inapp.channel-sender';
import { ProviderRouter } from './routing/provider-router';
import { ResolveRecipients } from './application/resolve-recipients';
import { ChannelProvidersModule } from '../../infrastructure/providers/channel-providers.module';
import { OutboxRelayRunner } from './consumers/outbox-relay.runner';
import { PreferenceDispatchGate } from '../preferences/application/preference.dispatch-gate';
import { PreferencesModule } from '../preferences/preferences.module';
import { SuppressionGate } from '../delivery-tracking/gates/suppression.gate';
import { EmailTracking } from '../delivery-tracking/open-click-tracking/email-tracking';
import { PolitenessGate } from './gates/politeness.gate';
import { QuietHoursGate } from './gates/quiet-hours.gate';

/** Sending: channel senders, the send and relay use cases, and (by role) the queue consumers and the relay loop. */
@Module({})
export class DispatchModule {
  private static readonly built = new Map<string, DynamicModule>();

  /** Memoised: every importer gets the same module, so consumers and the relay are started once. */
  static forRoles(roles: readonly Role[]): DynamicModule {
    const key = [...roles].sort().join(',');
    const cached = DispatchModule.built.get(key);
    if (cached) return cached;
    const built = DispatchModule.build(roles);
    DispatchModule.built.set(key, built);
    return built;
  }

  private static build(roles: readonly Role[]): DynamicModule {
    const channels = workerChannels(roles);
    const providers: Provider[] = [
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
    ];
    const imports: DynamicModule['imports'] = [EmailProvidersModule, ChannelProvidersModule, PreferencesModule];
    if (roles.includes('relay')) providers.push(OutboxRelayRunner);
    if (channels.includes('email')) providers.push(EmailQueueConsumer);
    if (channels.includes('sms')) providers.push(SmsQueueConsumer);
    if (channels.includes('push')) providers.push(PushQueueConsumer);
    if (channels.includes('webpush')) providers.push(WebPushQueueConsumer);
    if (channels.includes('chat')) providers.push(ChatQueueConsumer);
    if (channels.includes('inapp')) providers.push(InAppQueueConsumer);
    if (channels.length > 0) {
      imports.push(
        SqsModule.registerAsync({
          inject: [SQSClient, QueueDirectory, HeraldConfig],
          useFactory: (sqs: SQSClient, queues: QueueDirectory, config: HeraldConfig) => ({
            globalStopOptions: { abort: true },
            consumers: channels.map((channel) => ({
              name: channel,
              queueUrl: queues.urlOf(channel),
              sqs,
              batchSize: 10,
              waitTimeSeconds: config.queues.waitTimeSeconds,
              visibilityTimeout: config.queues.visibilityTimeoutSeconds,
              pollingWaitTimeMs: 0,
              // A missing queue (recreated by the relay after an outage) is retried soon, not after the default 10 s.
              authenticationErrorTimeout: 2000,
            })),
          }),
        }),
      );
    }
    return { module: DispatchModule, imports, providers, exports: [ChannelSenders, SendNotifications, PublishOutbox] };
  }
}
