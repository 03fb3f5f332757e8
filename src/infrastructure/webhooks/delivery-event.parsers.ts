import type { DeliveryEvent, DeliveryEventType } from '../../domain/delivery/delivery-event';

type Json = Record<string, any>;

const dateOr = (value: unknown, fallback: Date): Date => {
  const d = typeof value === 'number' ? new Date(value * 1000) : typeof value === 'string' ? new Date(value) : null;
  return d && !Number.isNaN(d.getTime()) ? d : fallback;
};

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
    occurredAt: dateOr(at, received),
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
        occurredAt: dateOr(e.timestamp, received),
        detail: (e.reason ?? e.response ?? e.url ?? null) as string | null,
      },
    ];
  });
}

const TWILIO_TYPES: Record<string, DeliveryEventType> = { delivered: 'delivered', undelivered: 'undelivered', failed: 'undelivered', read: 'opened' };

/** Twilio message status callback (form fields). Final statuses only; queued/sent/sending change nothing. */
export function parseTwilioStatus(params: Record<string, string>, received: Date): DeliveryEvent[] {
  const type = TWILIO_TYPES[params.MessageStatus];
  if (!type || !params.MessageSid) return [];
  return [
    {
      provider: 'twilio',
      eventId: `${params.MessageSid}:${params.MessageStatus}`,
      notificationId: null,
      providerMessageId: params.MessageSid,
      channel: 'sms',
      type,
      permanent: false,
      address: params.To ?? null,
      occurredAt: received,
      detail: params.ErrorCode ? `error ${params.ErrorCode}` : null,
    },
  ];
}
