import type { DeliveryEvent, DeliveryEventType } from '../../../domain/delivery/delivery-event';
import { eventTime } from '../delivery-event-time';

type Json = Record<string, any>;

const SENDGRID_TYPES: Record<string, DeliveryEventType> = {
  delivered: 'delivered',
  open: 'opened',
  click: 'clicked',
  bounce: 'bounced',
  dropped: 'undelivered',
  spamreport: 'complained',
};

/** SendGrid event webhook: an array of events; `herald_notification_id` is the custom argument Herald sets. */
export function parseSendgridEvents(body: unknown, received: Date): DeliveryEvent[] {
  if (!Array.isArray(body)) return [];
  return (body as Json[]).flatMap((e): DeliveryEvent[] => {
    const type = SENDGRID_TYPES[String(e.event)];
    if (!type || typeof e.sg_event_id !== 'string') return [];
    const sgMessageId = typeof e.sg_message_id === 'string' ? e.sg_message_id.split('.')[0] : null;
    return [
      {
        provider: 'sendgrid',
        eventId: e.sg_event_id,
        notificationId: typeof e.herald_notification_id === 'string' ? e.herald_notification_id : null,
        providerMessageId: sgMessageId,
        channel: 'email',
        type,
        // "blocked" bounces are temporary refusals; "bounce" ones are hard.
        permanent: type === 'bounced' && e.type !== 'blocked',
        address: typeof e.email === 'string' ? e.email : null,
        occurredAt: eventTime(e.timestamp, received),
        detail: (e.reason ?? e.response ?? e.url ?? null) as string | null,
      },
    ];
  });
}
