import { Injectable } from '@nestjs/common';
import type { SendResult } from '../../../domain/notification/send-result';
import { SmsProvider, type OutgoingSms } from '../../../domain/ports/sms-provider.port';
import { HeraldConfig } from '../../config/herald-config';
import { deliveryWebhookUrl } from '../delivery-webhook';
import { callProvider, failureOf, isHttpFailure, parseJson, type ProviderErrorKind } from '../http/provider-http';

/** One part of the SMS API's answer: a long text is sent as several parts, each with its own id and status. */
interface VonageMessagePart {
  status?: string | number;
  'message-id'?: string;
  'error-text'?: string;
}

/**
 * The SMS API's status codes (developer.vonage.com/api-errors/sms) and what they mean for a send. The API answers
 * HTTP 200 whatever the status. As for the other providers, a code that says the account or its setup is wrong
 * (credentials, a barred or unfunded account, a sender or callback it refuses) is transient: the message is fine,
 * so the router fails over and the breaker opens instead of failing notifications for good. Codes not listed
 * are permanent.
 */
const VONAGE_STATUSES: Record<string, ProviderErrorKind> = {
  '1': 'transient', // throttled: faster than the account's limit
  '2': 'permanent', // missing parameters
  '3': 'permanent', // invalid parameters
  '4': 'transient', // invalid credentials (the setup, not the message)
  '5': 'transient', // internal error
  '6': 'permanent', // invalid message: unroutable, e.g. an unrecognised number prefix
  '7': 'permanent', // number barred
  '8': 'transient', // partner account barred (suspended)
  '9': 'transient', // partner quota violation: not enough credit
  '10': 'transient', // too many existing binds
  '11': 'transient', // account not enabled for the HTTP SMS API
  '12': 'permanent', // message too long
  '14': 'transient', // invalid signature (request signing set up wrong)
  '15': 'transient', // invalid sender address (VONAGE_FROM)
  '22': 'permanent', // invalid network code
  '23': 'transient', // invalid callback URL (PUBLIC_URL)
  '29': 'permanent', // non-whitelisted destination (an account in demo mode)
  '32': 'transient', // signature and API secret disallowed
  '33': 'permanent', // number deactivated
};

export function classifyVonage(status: string, errorText: string | undefined): SendResult {
  return failureOf(VONAGE_STATUSES[status] ?? 'permanent', `vonage_${status}`, (errorText || `status ${status}`).slice(0, 500), null);
}

/** The characters of the GSM 03.38 default alphabet and its extension table: any other needs `type=unicode`. */
const GSM_7 = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà\f^{}\\[~]|€',
);
const isGsm7 = (text: string) => [...text].every((c) => GSM_7.has(c));

/**
 * SMS through the Vonage (Nexmo) SMS API, `POST {VONAGE_BASE_URL}/sms/json`. `client-ref` carries the notification
 * id and `callback` names Herald's Vonage webhook under PUBLIC_URL, so delivery receipts find their notification.
 * Vonage takes no idempotency key, so a send whose answer was lost cannot be repeated safely.
 */
@Injectable()
export class VonageSmsAdapter extends SmsProvider {
  readonly name = 'vonage';
  readonly idempotent = false;

  constructor(private readonly config: HeraldConfig) {
    super();
  }

  async send(sms: OutgoingSms): Promise<SendResult> {
    const { baseUrl, apiKey, apiSecret, from } = this.config.channels.vonage;
    const form = new URLSearchParams({
      api_key: apiKey,
      api_secret: apiSecret,
      from,
      // E.164 without the leading +, as the SMS API writes numbers.
      to: sms.to.replace(/^\+/, ''),
      text: sms.text,
      type: isGsm7(sms.text) ? 'text' : 'unicode',
      'client-ref': sms.notificationId,
      'status-report-req': '1',
      callback: deliveryWebhookUrl(this.config.http.publicUrl, 'vonage'),
    });
    const answer = await callProvider(
      'vonage',
      `${baseUrl}/sms/json`,
      { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' }, body: form.toString() },
      this.config.channels.routing.requestTimeoutMs,
    );
    if (isHttpFailure(answer)) return answer;
    if (answer.status < 200 || answer.status >= 300) {
      const kind: ProviderErrorKind = answer.status === 429 || answer.status >= 500 || answer.status === 401 || answer.status === 403 ? 'transient' : 'permanent';
      return failureOf(kind, `vonage_http_${answer.status}`, `HTTP ${answer.status}`, answer.headers.get('retry-after'));
    }
    const parts = parseJson<{ messages?: VonageMessagePart[] }>(answer.text)?.messages;
    if (!Array.isArray(parts) || parts.length === 0) {
      // A 200 that cannot be read may have been a message accepted: not safe to resend, nor to fail.
      return { outcome: 'unknown', code: 'vonage_unreadable_answer', message: 'HTTP 200 without a messages array' };
    }
    const refused = parts.filter((p) => String(p.status) !== '0');
    if (refused.length === 0) return { outcome: 'sent', providerMessageId: parts[0]['message-id'] };
    if (refused.length < parts.length) {
      // Some parts of a long text went out: resending would repeat them; their receipts settle the notification.
      return { outcome: 'unknown', code: `vonage_partial_${String(refused[0].status)}`, message: `${parts.length - refused.length} of ${parts.length} parts accepted; ${refused[0]['error-text'] ?? ''}`.trim().slice(0, 500) };
    }
    return classifyVonage(String(refused[0].status), refused[0]['error-text']);
  }
}
