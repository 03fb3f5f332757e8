import type { DeliveryEvent, DeliveryEventType } from '../../../domain/delivery/delivery-event';
import { eventTime } from '../delivery-event-time';

/** Final DLR statuses; `accepted`, `buffered` and `unknown` say nothing final and change nothing. */
const VONAGE_TYPES: Record<string, DeliveryEventType> = { delivered: 'delivered', expired: 'undelivered', failed: 'undelivered', rejected: 'undelivered' };

/**
 * A Vonage SMS delivery receipt (developer.vonage.com, "Delivery receipts"): `messageId`, `status`, `err-code`,
 * `msisdn` (the recipient, without +), `client-ref` (Herald's notification id) and `message-timestamp`
 * (`YYYY-MM-DD HH:MM:SS`, UTC). A long text has one receipt per part, each with its part's `messageId`.
 */
export function parseVonageReceipt(params: Record<string, string>, received: Date): DeliveryEvent[] {
  const type = VONAGE_TYPES[params.status];
  if (!type || !params.messageId) return [];
  const errCode = params['err-code'];
  const at = params['message-timestamp'];
  return [
    {
      provider: 'vonage',
      eventId: `${params.messageId}:${params.status}`,
      notificationId: params['client-ref'] || null,
      providerMessageId: params.messageId,
      channel: 'sms',
      type,
      permanent: false,
      address: params.msisdn ? `+${params.msisdn.replace(/^\+/, '')}` : null,
      occurredAt: eventTime(at && /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/.test(at) ? `${at.replace(' ', 'T')}Z` : undefined, received),
      detail: errCode && errCode !== '0' ? `${params.status}, err-code ${errCode}` : null,
    },
  ];
}
