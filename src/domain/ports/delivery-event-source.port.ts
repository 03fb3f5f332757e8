import type { DeliveryEvent } from '../delivery/delivery-event';

/** A provider's webhook post, as the HTTP edge received it. */
export interface DeliveryWebhook {
  /** The path and query string requested: signatures over the URL rebuild it from PUBLIC_URL. */
  path: string;
  /** Header names in lower case. */
  headers: Record<string, string | string[] | undefined>;
  /** The exact bytes received, for signatures over the body. */
  rawBody: Buffer | undefined;
  /** The body as parsed for its media type: JSON, form fields or text. */
  body: unknown;
}

/** What a verified post carries: delivery events, or a message of the transport itself (SNS handshakes). */
export type DeliveryWebhookReading =
  | { kind: 'events'; events: DeliveryEvent[] }
  | { kind: 'subscription_confirmed' }
  | { kind: 'ignored'; type: string };

/**
 * A provider that reports deliveries by webhook: it verifies a post (signature, certificate, freshness) and
 * reads the delivery events in it. A post that does not verify throws InvalidWebhookSignatureError; an
 * unconfigured source throws WebhookNotConfiguredError; a body that is not the provider's, ValidationFailedError.
 */
export abstract class DeliveryEventSource {
  /** The provider's name, as in the webhook path (/v1/webhooks/<provider>) and on the events it reads. */
  abstract readonly provider: string;
  abstract read(webhook: DeliveryWebhook, receivedAt: Date): Promise<DeliveryWebhookReading>;
}

/** Token for every registered DeliveryEventSource (DELIVERY_EVENT_SOURCES). */
export const DELIVERY_EVENT_SOURCES = Symbol('DELIVERY_EVENT_SOURCES');
