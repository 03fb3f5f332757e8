import type { DeliveryEvent, DeliveryEventType } from '../../../domain/delivery/delivery-event';

const TWILIO_TYPES: Record<string, DeliveryEventType> = { delivered: 'delivered', undelivered: 'undelivered', failed: 'undelivered', read: 'opened' };

/**
 * Twilio message status callback (form fields). Final statuses only; queued/sent/sending change nothing.
 * `notificationId` is the one named by the callback URL, when it names one.
 */
export function parseTwilioStatus(params: Record<string, string>, received: Date, notificationId: string | null = null): DeliveryEvent[] {
  const type = TWILIO_TYPES[params.MessageStatus];
  if (!type || !params.MessageSid) return [];
  return [
    {
      provider: 'twilio',
      eventId: `${params.MessageSid}:${params.MessageStatus}`,
      notificationId,
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
