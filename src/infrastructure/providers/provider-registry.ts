import type { Provider, Type } from '@nestjs/common';
import { SnsEndpoint } from '../../domain/ports/sns-endpoint.port';
import { DELIVERY_EVENT_SOURCES, type DeliveryEventSource } from '../../domain/ports/delivery-event-source.port';
import { HeraldConfig } from '../config/herald-config';
import type { DeliveryWebhookRoute } from './delivery-webhook';
import { ApnsPushAdapter } from './apns/apns.adapter';
import { FcmPushAdapter } from './fcm/fcm.adapter';
import { SendgridEmailAdapter } from './sendgrid/sendgrid.adapter';
import { SendgridDeliveryEvents } from './sendgrid/sendgrid.delivery-events';
import { SesEmailAdapter } from './ses/ses.adapter';
import { SesDeliveryEvents } from './ses/ses.delivery-events';
import { SlackWebhookAdapter } from './slack/slack-webhook.adapter';
import { SmtpEmailAdapter } from './smtp/smtp.adapter';
import { SnsEndpointHttp } from './sns/sns-endpoint.http';
import { SnsSmsAdapter } from './sns/sns.adapter';
import { TwilioSmsAdapter } from './twilio/twilio.adapter';
import { TwilioDeliveryEvents } from './twilio/twilio.delivery-events';
import { VonageSmsAdapter } from './vonage/vonage.adapter';
import { VonageDeliveryEvents } from './vonage/vonage.delivery-events';
import { SignedWebhookAdapter } from './webhook/signed-webhook.adapter';
import { VapidWebPushAdapter } from './webpush/vapid-web-push.adapter';

type DeliveryEventSourceClass = Type<DeliveryEventSource> & { route: DeliveryWebhookRoute };

export interface ProviderRegistration {
  /** As configuration lists it (EMAIL_PROVIDERS, SMS_PROVIDERS, ...) and as its adapters name themselves. */
  name: string;
  /** Its sender: an adapter of one channel's provider port (EmailProvider, SmsProvider, ...). */
  sender?: Type<object>;
  /** Its delivery webhook, served at POST /v1/webhooks/<name>. */
  deliveryEvents?: DeliveryEventSourceClass;
}

/** Every provider, one line each. A provider is its folder beside this file and its line here. */
export const PROVIDERS: readonly ProviderRegistration[] = [
  { name: 'smtp', sender: SmtpEmailAdapter },
  { name: 'ses', sender: SesEmailAdapter, deliveryEvents: SesDeliveryEvents },
  { name: 'sendgrid', sender: SendgridEmailAdapter, deliveryEvents: SendgridDeliveryEvents },
  { name: 'twilio', sender: TwilioSmsAdapter, deliveryEvents: TwilioDeliveryEvents },
  { name: 'sns', sender: SnsSmsAdapter },
  { name: 'vonage', sender: VonageSmsAdapter, deliveryEvents: VonageDeliveryEvents },
  { name: 'fcm', sender: FcmPushAdapter },
  { name: 'apns', sender: ApnsPushAdapter },
  { name: 'webpush', sender: VapidWebPushAdapter },
  { name: 'slack', sender: SlackWebhookAdapter },
  { name: 'webhook', sender: SignedWebhookAdapter },
];

type Port<T> = abstract new (...args: never[]) => T;

/** The registered senders implementing `port`, in registry order. */
export function sendersOf<T>(port: Port<T>): Array<{ name: string; sender: Type<T> }> {
  return PROVIDERS.flatMap((p) => (p.sender && p.sender.prototype instanceof port ? [{ name: p.name, sender: p.sender as Type<T> }] : []));
}

/** Binds `token` to the `port` senders that configuration lists, in the order it lists them. */
export function configuredSenders<T>(token: symbol, port: Port<T>, listed: (config: HeraldConfig) => string[]): Provider {
  const senders = sendersOf(port);
  return {
    provide: token,
    inject: [HeraldConfig, ...senders.map((s) => s.sender)],
    useFactory: (config: HeraldConfig, ...instances: T[]): T[] => listed(config).map((name) => instances[senders.findIndex((s) => s.name === name)]),
  };
}

/** The registered delivery webhooks, in registry order: the provider's name and how its route is documented. */
export const DELIVERY_WEBHOOKS: ReadonlyArray<{ provider: string; route: DeliveryWebhookRoute }> = PROVIDERS.flatMap((p) =>
  p.deliveryEvents ? [{ provider: p.name, route: p.deliveryEvents.route }] : [],
);

const sourceClasses = PROVIDERS.flatMap((p) => (p.deliveryEvents ? [p.deliveryEvents] : []));

/** The delivery webhooks' bindings: DELIVERY_EVENT_SOURCES, and SnsEndpoint, through which SES events arrive. */
export const DELIVERY_EVENT_SOURCE_PROVIDERS: Provider[] = [
  ...sourceClasses,
  { provide: SnsEndpoint, useClass: SnsEndpointHttp },
  {
    provide: DELIVERY_EVENT_SOURCES,
    inject: sourceClasses,
    useFactory: (...sources: DeliveryEventSource[]): DeliveryEventSource[] => {
      const misnamed = sources.filter((s, i) => s.provider !== DELIVERY_WEBHOOKS[i].provider);
      if (misnamed.length) throw new Error(`delivery event sources registered under another name: ${misnamed.map((s) => s.provider).join(', ')}`);
      return sources;
    },
  },
];
