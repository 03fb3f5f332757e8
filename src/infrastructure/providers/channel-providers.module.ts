import { Module } from '@nestjs/common';
import { CHAT_PROVIDERS, type ChatProvider } from '../../domain/ports/chat-provider.port';
import { PUSH_PROVIDERS, type PushProvider } from '../../domain/ports/push-provider.port';
import { SMS_PROVIDERS, type SmsProvider } from '../../domain/ports/sms-provider.port';
import { WebPushProvider } from '../../domain/ports/web-push-provider.port';
import { HeraldConfig } from '../config/herald-config';
import { SignedWebhookAdapter } from './chat/signed-webhook.adapter';
import { SlackWebhookAdapter } from './chat/slack-webhook.adapter';
import { ApnsPushAdapter } from './push/apns.adapter';
import { FcmPushAdapter } from './push/fcm.adapter';
import { SnsSmsAdapter } from './sms/sns.adapter';
import { TwilioSmsAdapter } from './sms/twilio.adapter';
import { VapidWebPushAdapter } from './webpush/vapid-web-push.adapter';

function pick<T>(names: string[], byName: Record<string, T>): T[] {
  return names.map((n) => byName[n]);
}

/** Provider bindings of the SMS, push, web push and chat channels, in the order configuration lists them. */
@Module({
  providers: [
    TwilioSmsAdapter,
    SnsSmsAdapter,
    FcmPushAdapter,
    ApnsPushAdapter,
    VapidWebPushAdapter,
    SlackWebhookAdapter,
    SignedWebhookAdapter,
    {
      provide: SMS_PROVIDERS,
      inject: [HeraldConfig, TwilioSmsAdapter, SnsSmsAdapter],
      useFactory: (c: HeraldConfig, twilio: SmsProvider, sns: SmsProvider) => pick(c.channels.sms.providers, { twilio, sns }),
    },
    {
      provide: PUSH_PROVIDERS,
      inject: [HeraldConfig, FcmPushAdapter, ApnsPushAdapter],
      useFactory: (c: HeraldConfig, fcm: PushProvider, apns: PushProvider) => pick(c.channels.push.providers, { fcm, apns }),
    },
    {
      provide: WebPushProvider,
      inject: [HeraldConfig, VapidWebPushAdapter],
      useFactory: (c: HeraldConfig, vapid: WebPushProvider) => (c.channels.webPush.enabled ? vapid : null),
    },
    {
      provide: CHAT_PROVIDERS,
      inject: [HeraldConfig, SlackWebhookAdapter, SignedWebhookAdapter],
      useFactory: (c: HeraldConfig, slack: ChatProvider, webhook: ChatProvider) => pick(c.channels.chat.providers, { slack, webhook }),
    },
  ],
  exports: [SMS_PROVIDERS, PUSH_PROVIDERS, WebPushProvider, CHAT_PROVIDERS],
})
export class ChannelProvidersModule {}
