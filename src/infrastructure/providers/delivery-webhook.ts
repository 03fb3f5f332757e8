import type { SchemaObject } from '@nestjs/swagger';
import type { DeliveryWebhook } from '../../domain/ports/delivery-event-source.port';

/** How a provider's delivery webhook (POST /v1/webhooks/<provider>) is documented and which bodies it takes. */
export interface DeliveryWebhookRoute {
  summary: string;
  /** What the provider posts and how the post is authenticated, for the operation's description. */
  description?: string;
  /** The body media types it takes, when not JSON alone. */
  mediaTypes?: string[];
  /** The provider's post, as far as Herald reads it (providers add fields over time: the schemas stay open). */
  body?: SchemaObject;
  /** The setting without which it answers 404 webhook_not_configured. */
  notConfigured?: string;
  /** What a 400 answer means, when it can give one. */
  badRequest?: string;
  /**
   * How a post is answered: `report`, the events report alone; `outcome`, the report under `kind: 'events'`,
   * since the transport also posts messages that carry no events (SNS subscription handshakes).
   */
  answer: 'report' | 'outcome';
}

export function firstHeader(webhook: DeliveryWebhook, name: string): string | undefined {
  const value = webhook.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
