import { Module } from '@nestjs/common';
import { CHAT_PROVIDERS, ChatProvider } from '../../domain/ports/chat-provider.port';
import { PUSH_PROVIDERS, PushProvider } from '../../domain/ports/push-provider.port';
import { SMS_PROVIDERS, SmsProvider } from '../../domain/ports/sms-provider.port';
import { WebPushProvider } from '../../domain/ports/web-push-provider.port';
import { HeraldConfig } from '../config/herald-config';
import { configuredSenders, sendersOf } from './provider-registry';

const webPush = sendersOf(WebPushProvider).map((s) => s.sender);

/** Provider bindings of the SMS, push, web push and chat channels, in the order configuration lists them. */
@Module({
  providers: [
    ...[SmsProvider, PushProvider, WebPushProvider, ChatProvider].flatMap((port) => sendersOf<object>(port).map((s) => s.sender)),
    configuredSenders(SMS_PROVIDERS, SmsProvider, (c) => c.channels.sms.providers),
    configuredSenders(PUSH_PROVIDERS, PushProvider, (c) => c.channels.push.providers),
    {
      provide: WebPushProvider,
      inject: [HeraldConfig, ...webPush],
      useFactory: (c: HeraldConfig, vapid: WebPushProvider) => (c.channels.webPush.enabled ? vapid : null),
    },
    configuredSenders(CHAT_PROVIDERS, ChatProvider, (c) => c.channels.chat.providers),
  ],
  exports: [SMS_PROVIDERS, PUSH_PROVIDERS, WebPushProvider, CHAT_PROVIDERS],
})
export class ChannelProvidersModule {}
