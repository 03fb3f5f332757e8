import { Injectable } from '@nestjs/common';
import type { DeliveryEvent } from '../../../domain/delivery/delivery-event';
import { DeliveryEvents, type DeliveryEventsReport } from '../../../domain/ports/delivery-events.port';
import { DeliveryMetrics, ENGAGEMENT_EVENTS, type EngagementEvent } from '../../../domain/ports/delivery-metrics.port';

const isEngagementEvent = (status: string): status is EngagementEvent => (ENGAGEMENT_EVENTS as readonly string[]).includes(status);

/**
 * The one way delivery events are recorded (provider webhooks, open and click tracking, unsubscribe links):
 * stored and applied in one transaction, then each status change they made counted as an engagement event.
 */
@Injectable()
export class RecordDeliveryEvents {
  constructor(
    private readonly events: DeliveryEvents,
    private readonly metrics: DeliveryMetrics,
  ) {}

  async execute(events: DeliveryEvent[]): Promise<DeliveryEventsReport> {
    const { report, moves } = await this.events.record(events);
    this.metrics.engagement(moves.flatMap((m) => (isEngagementEvent(m.to) ? [{ ...m.subject, event: m.to }] : [])));
    return report;
  }
}
