import type { DeliveryEvent } from '../../../domain/delivery/delivery-event';
import { InvalidWebhookSignatureError } from '../../../domain/errors/domain-errors';
import { DeliveryEventSource, type DeliveryWebhook, type DeliveryWebhookReading } from '../../../domain/ports/delivery-event-source.port';
import { Registry } from 'prom-client';
import { DeliveryEvents, type RecordedDeliveryEvents } from '../../../domain/ports/delivery-events.port';
import { PrometheusDeliveryMetrics } from '../../../infrastructure/metrics/prometheus-delivery.metrics';
import { RecordDeliveryEvents } from './record-delivery-events';
import { ReceiveDeliveryEvents } from './receive-delivery-events.use-case';

const event = (provider: string): DeliveryEvent => ({
  provider,
  eventId: `${provider}-1`,
  notificationId: 'n-1',
  providerMessageId: null,
  channel: 'email',
  type: 'delivered',
  permanent: false,
  address: null,
  occurredAt: new Date(0),
  detail: null,
});

class FixedSource extends DeliveryEventSource {
  readonly seen: DeliveryWebhook[] = [];
  constructor(
    readonly provider: string,
    private readonly reading: DeliveryWebhookReading | Error,
  ) {
    super();
  }
  async read(webhook: DeliveryWebhook): Promise<DeliveryWebhookReading> {
    this.seen.push(webhook);
    if (this.reading instanceof Error) throw this.reading;
    return this.reading;
  }
}

class RecordedEvents extends DeliveryEvents {
  readonly recorded: DeliveryEvent[][] = [];
  async record(events: DeliveryEvent[]): Promise<RecordedDeliveryEvents> {
    this.recorded.push(events);
    return { report: { recorded: events.length, duplicates: 0, statusChanges: events.length, unmatched: 0, suppressed: 0 }, moves: [] };
  }
}

const recording = (events: DeliveryEvents) => new RecordDeliveryEvents(events, new PrometheusDeliveryMetrics(new Registry()));

const webhook: DeliveryWebhook = { path: '/v1/webhooks/b', headers: {}, rawBody: Buffer.from('{}'), body: {} };

describe('ReceiveDeliveryEvents', () => {
  it("records the events read by the named provider's source, and no other source reads the post", async () => {
    const a = new FixedSource('a', { kind: 'events', events: [event('a')] });
    const b = new FixedSource('b', { kind: 'events', events: [event('b'), event('b')] });
    const events = new RecordedEvents();
    const outcome = await new ReceiveDeliveryEvents([a, b], recording(events)).execute('b', webhook);
    expect(outcome).toEqual({ kind: 'events', report: { recorded: 2, duplicates: 0, statusChanges: 2, unmatched: 0, suppressed: 0 } });
    expect(b.seen).toEqual([webhook]);
    expect(a.seen).toEqual([]);
    expect(events.recorded).toEqual([[event('b'), event('b')]]);
  });

  it('records nothing for a transport message, and nothing when the source refuses the post', async () => {
    const events = new RecordedEvents();
    const confirm = new FixedSource('ses', { kind: 'subscription_confirmed' });
    const refuse = new FixedSource('twilio', new InvalidWebhookSignatureError('twilio', 'the signature does not match'));
    const use = new ReceiveDeliveryEvents([confirm, refuse], recording(events));
    expect(await use.execute('ses', webhook)).toEqual({ kind: 'subscription_confirmed' });
    await expect(use.execute('twilio', webhook)).rejects.toBeInstanceOf(InvalidWebhookSignatureError);
    expect(events.recorded).toEqual([]);
  });
});
