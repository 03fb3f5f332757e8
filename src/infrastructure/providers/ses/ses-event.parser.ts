import type { DeliveryEvent, DeliveryEventType } from '../../../domain/delivery/delivery-event';
import { eventTime } from '../delivery-event-time';

type Json = Record<string, any>;

/**
 * SES event publishing (and the older SES notifications) delivered through SNS: one SES event per SNS
 * message. Bounces and complaints name their recipients; each becomes an event. The notification is
 * found from the X-Herald-Notification-Id header when SES includes headers, else by SES message id.
 */
export function parseSesEvent(snsMessageId: string, message: string, received: Date): DeliveryEvent[] {
  let body: Json;
  try {
    body = JSON.parse(message) as Json;
  } catch {
    return [];
  }
  const kind = String(body.eventType ?? body.notificationType ?? '');
  const mail = (body.mail ?? {}) as Json;
  const headers = Array.isArray(mail.headers) ? (mail.headers as Json[]) : [];
  const notificationId = (headers.find((h) => String(h.name).toLowerCase() === 'x-herald-notification-id')?.value as string | undefined) ?? null;
  const base = { provider: 'ses', notificationId, providerMessageId: typeof mail.messageId === 'string' ? mail.messageId : null, channel: 'email' as const };
  const one = (type: DeliveryEventType, at: unknown, address: string | null, detail: string | null, permanent = false, suffix = ''): DeliveryEvent => ({
    ...base,
    eventId: `${snsMessageId}${suffix}`,
    type,
    permanent,
    address,
    occurredAt: eventTime(at, received),
    detail,
  });
  const destination = Array.isArray(mail.destination) ? String(mail.destination[0] ?? '') || null : null;
  switch (kind) {
    case 'Delivery':
      return [one('delivered', body.delivery?.timestamp, destination, body.delivery?.smtpResponse ?? null)];
    case 'Open':
      return [one('opened', body.open?.timestamp, destination, null)];
    case 'Click':
      return [one('clicked', body.click?.timestamp, destination, body.click?.link ?? null)];
    case 'Bounce': {
      const b = (body.bounce ?? {}) as Json;
      const recipients = Array.isArray(b.bouncedRecipients) ? (b.bouncedRecipients as Json[]) : [{}];
      return recipients.map((r, i) =>
        one('bounced', b.timestamp, (r.emailAddress as string | undefined) ?? destination, [b.bounceType, b.bounceSubType, r.diagnosticCode].filter(Boolean).join(' / ') || null, b.bounceType === 'Permanent', `:${i}`),
      );
    }
    case 'Complaint': {
      const c = (body.complaint ?? {}) as Json;
      const recipients = Array.isArray(c.complainedRecipients) ? (c.complainedRecipients as Json[]) : [{}];
      return recipients.map((r, i) => one('complained', c.timestamp, (r.emailAddress as string | undefined) ?? destination, c.complaintFeedbackType ?? null, false, `:${i}`));
    }
    case 'Reject':
    case 'Rendering Failure':
      return [one('undelivered', mail.timestamp, destination, body.reject?.reason ?? body.failure?.errorMessage ?? kind)];
    default:
      return [];
  }
}
