import type { SchemaObject } from '@nestjs/swagger';
import { InvalidWebhookSignatureError } from '../../domain/errors/domain-errors';
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

/**
 * The address a provider is given for its delivery reports of one message: Herald's delivery webhook
 * (POST /v1/webhooks/<provider>) under PUBLIC_URL, with `query` (say, the notification id) when given.
 */
export function deliveryWebhookUrl(publicUrl: string, provider: string, query: Record<string, string> = {}): string {
  const url = new URL(`${publicUrl.replace(/\/+$/, '')}/v1/webhooks/${provider}`);
  for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
  return url.toString();
}

/** The value of one query parameter of the requested path, or null when absent. */
export function queryParameter(webhook: DeliveryWebhook, name: string): string | null {
  return new URL(webhook.path, 'http://herald.invalid').searchParams.get(name);
}

/**
 * A signed post's timestamp (Unix seconds) must be within `toleranceMs` of now, so that a captured post cannot be
 * replayed later; a replay inside the window is harmless, its events being recorded once.
 */
export function assertFreshSignature(provider: string, unixSeconds: string | undefined, toleranceMs: number, now = Date.now()): void {
  const signedAt = /^\d{1,12}$/.test(unixSeconds ?? '') ? Number(unixSeconds) * 1000 : NaN;
  if (!(Math.abs(now - signedAt) <= toleranceMs)) {
    throw new InvalidWebhookSignatureError(provider, `the signed timestamp is not within ${Math.round(toleranceMs / 1000)} s of now`);
  }
}
