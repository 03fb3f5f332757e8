import { Injectable } from '@nestjs/common';
import type { SendResult } from '../../../domain/notification/send-result';
import { SmsProvider, type OutgoingSms } from '../../../domain/ports/sms-provider.port';
import { HeraldConfig } from '../../config/herald-config';
import { deliveryWebhookUrl } from '../delivery-webhook';
import { callProvider, isHttpFailure, parseJson, retryAfterMs } from '../http/provider-http';

interface TwilioError {
  code?: number;
  message?: string;
  status?: number;
}

/**
 * Twilio error codes (https://www.twilio.com/docs/api/errors) and what they mean for a send.
 * Codes not listed fall back on the HTTP status: 429 and 5xx transient, other 4xx permanent.
 * Authentication and account problems are transient: the message is fine, the provider setup is not, so
 * the router fails over and the breaker opens instead of failing notifications for good.
 */
const TWILIO_ERRORS: Record<number, 'permanent' | 'transient'> = {
  21211: 'permanent', // invalid 'To' phone number
  21408: 'permanent', // permission to send to this region is not enabled
  21610: 'permanent', // the recipient replied STOP (unsubscribed)
  21612: 'permanent', // the 'To' number cannot be reached from the 'From' number
  21614: 'permanent', // 'To' is not a mobile number
  21617: 'permanent', // body exceeds the 1600 character limit
  20003: 'transient', // authentication failed (credentials)
  20429: 'transient', // too many requests
  30001: 'transient', // queue overflow
};

export function classifyTwilio(status: number, body: TwilioError | null, retryAfter: string | null): SendResult {
  const code = body?.code;
  const message = (body?.message ?? `HTTP ${status}`).slice(0, 500);
  const known = code !== undefined ? TWILIO_ERRORS[code] : undefined;
  const kind = known ?? (status === 429 || status >= 500 ? 'transient' : 'permanent');
  const errorCode = `twilio_${code ?? status}`;
  if (kind === 'transient') return { outcome: 'transient', code: errorCode, message, retryAfterMs: retryAfterMs(retryAfter) };
  return { outcome: 'permanent', code: errorCode, message };
}

/** The query parameter of the status callback URL that names the notification (Twilio signs the whole URL). */
export const TWILIO_CALLBACK_NOTIFICATION_PARAM = 'notificationId';

/**
 * SMS through the Twilio Messages REST API. Twilio takes no idempotency key on message creation, so a send
 * whose answer was lost cannot be repeated safely (`idempotent = false`). Every message names its
 * StatusCallback: Herald's Twilio webhook under PUBLIC_URL, carrying the notification id.
 */
@Injectable()
export class TwilioSmsAdapter extends SmsProvider {
  readonly name = 'twilio';
  readonly idempotent = false;

  constructor(private readonly config: HeraldConfig) {
    super();
  }

  async send(sms: OutgoingSms): Promise<SendResult> {
    const { baseUrl, accountSid, authToken, from, messagingServiceSid } = this.config.channels.twilio;
    const statusCallback = deliveryWebhookUrl(this.config.http.publicUrl, 'twilio', { [TWILIO_CALLBACK_NOTIFICATION_PARAM]: sms.notificationId });
    const form = new URLSearchParams({ To: sms.to, Body: sms.text, StatusCallback: statusCallback });
    if (messagingServiceSid) form.set('MessagingServiceSid', messagingServiceSid);
    else if (from) form.set('From', from);
    const answer = await callProvider(
      'twilio',
      `${baseUrl}/2010-04-01/Accounts/${encodeURIComponent(accountSid)}/Messages.json`,
      {
        method: 'POST',
        headers: {
          Authorization: `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`,
          'Content-Type': 'application/x-www-form-urlencoded',
          Accept: 'application/json',
        },
        body: form.toString(),
      },
      this.config.channels.routing.requestTimeoutMs,
    );
    if (isHttpFailure(answer)) return answer;
    const body = parseJson<TwilioError & { sid?: string }>(answer.text);
    if (answer.status >= 200 && answer.status < 300) return { outcome: 'sent', providerMessageId: body?.sid };
    return classifyTwilio(answer.status, body, answer.headers.get('retry-after'));
  }
}
