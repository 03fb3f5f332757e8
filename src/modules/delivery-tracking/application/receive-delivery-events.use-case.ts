import { Inject, Injectable } from '@nestjs/common';
import { DELIVERY_EVENT_SOURCES, DeliveryEventSource, type DeliveryWebhook } from '../../../domain/ports/delivery-event-source.port';
import type { DeliveryEventsReport } from '../../../domain/ports/delivery-events.port';
import { RecordDeliveryEvents } from './record-delivery-events';

export type DeliveryWebhookOutcome =
  | { kind: 'events'; report: DeliveryEventsReport }
  | { kind: 'subscription_confirmed' }
  | { kind: 'ignored'; type: string };

/**
 * A provider's delivery webhook post: its source verifies it and reads its events, which are recorded once
 * each. The same for every provider; the source is the one registered under the provider's name.
 */
@Injectable()
export class ReceiveDeliveryEvents {
  constructor(
    @Inject(DELIVERY_EVENT_SOURCES) private readonly sources: DeliveryEventSource[],
    private readonly events: RecordDeliveryEvents,
  ) {}

  async execute(provider: string, webhook: DeliveryWebhook): Promise<DeliveryWebhookOutcome> {
    const source = this.sources.find((s) => s.provider === provider);
    if (!source) throw new Error(`no delivery event source is registered for ${provider}`);
    const reading = await source.read(webhook, new Date());
    if (reading.kind !== 'events') return reading;
    return { kind: 'events', report: await this.events.execute(reading.events) };
  }
}
