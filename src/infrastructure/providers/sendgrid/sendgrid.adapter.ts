import { Injectable } from '@nestjs/common';
import type { SendResult } from '../../../domain/notification/send-result';
import { EmailProvider, type OutgoingEmail } from '../../../domain/ports/email-provider.port';
import { HeraldConfig } from '../../config/herald-config';
import { callProvider, isHttpFailure, parseJson, retryAfterMs, type AnswerHeaders } from '../http/provider-http';

/** SendGrid's error body: `{"errors":[{"message","field","help"}]}`. */
interface SendgridErrorBody {
  errors?: Array<{ message?: string; field?: string | null; help?: unknown }>;
}

/** The custom argument that carries the notification id; SendGrid copies it into every event of the message. */
export const SENDGRID_NOTIFICATION_ARG = 'herald_notification_id';

/**
 * How long a refused send should wait: Retry-After when given, else the end of the rate-limit period
 * (X-RateLimit-Reset, epoch seconds), which is what SendGrid's 429 documents.
 */
function waitOf(headers: AnswerHeaders, now: number): number | undefined {
  const retryAfter = retryAfterMs(headers.get('retry-after'), now);
  if (retryAfter !== undefined) return retryAfter;
  const reset = headers.get('x-ratelimit-reset')?.trim();
  return reset && /^\d{1,12}$/.test(reset) ? Math.max(0, Number(reset) * 1000 - now) : undefined;
}

/**
 * Mail Send answers (api-reference "Responses" and "Mail Send errors"). 429 and 5xx are transient. 401 (the key is
 * invalid, revoked or out of credits) and 403 (the sender identity is not verified, or the account is blocked) are
 * about the provider setup, not the message: transient, so the router fails over and the breaker opens instead of
 * failing every notification for good, as for Twilio's authentication errors and SES's account errors. Other 4xx
 * (400 a field refused, 413 too large) are about this message: permanent.
 */
export function classifySendgrid(status: number, body: SendgridErrorBody | null, headers: AnswerHeaders, now = Date.now()): SendResult {
  const errors = Array.isArray(body?.errors) ? body.errors : [];
  const described = errors.map((e) => (e.field ? `${e.field}: ${e.message ?? ''}` : (e.message ?? ''))).filter(Boolean);
  const message = (described.join('; ') || `HTTP ${status}`).slice(0, 500);
  const code = `sendgrid_${status}`;
  if (status === 429 || status >= 500 || status === 401 || status === 403) return { outcome: 'transient', code, message, retryAfterMs: waitOf(headers, now) };
  return { outcome: 'permanent', code, message };
}

/**
 * Email through SendGrid's v3 Mail Send API. The notification id travels as the `herald_notification_id` custom
 * argument (which SendGrid copies into every event webhook post) and as the X-Herald-Notification-Id header; the
 * notification's category becomes a SendGrid category. Mail Send takes no idempotency key, so a send whose answer
 * was lost cannot be repeated safely. A 202 carries the message id in X-Message-Id; event webhooks name it as the
 * first part of sg_message_id.
 */
@Injectable()
export class SendgridEmailAdapter extends EmailProvider {
  readonly name = 'sendgrid';
  readonly idempotent = false;

  constructor(private readonly config: HeraldConfig) {
    super();
  }

  async send(email: OutgoingEmail): Promise<SendResult> {
    const { baseUrl, apiKey, from } = this.config.channels.sendgrid;
    // text/plain must come before text/html (Mail Send errors, "content").
    const content = [
      ...(email.text ? [{ type: 'text/plain', value: email.text }] : []),
      ...(email.html ? [{ type: 'text/html', value: email.html }] : []),
    ];
    const payload = {
      personalizations: [{ to: [{ email: email.to }] }],
      from: from.name ? { email: from.email, name: from.name } : { email: from.email },
      subject: email.subject,
      content,
      custom_args: { [SENDGRID_NOTIFICATION_ARG]: email.notificationId },
      headers: { ...email.headers, 'X-Herald-Notification-Id': email.notificationId },
      ...(email.category ? { categories: [email.category] } : {}),
    };
    const answer = await callProvider(
      'sendgrid',
      `${baseUrl}/v3/mail/send`,
      { method: 'POST', headers: { Authorization: `Bearer ${apiKey}`, 'Content-Type': 'application/json', Accept: 'application/json' }, body: JSON.stringify(payload) },
      this.config.channels.routing.requestTimeoutMs,
    );
    if (isHttpFailure(answer)) return answer;
    if (answer.status >= 200 && answer.status < 300) {
      const messageId = answer.headers.get('x-message-id');
      return messageId ? { outcome: 'sent', providerMessageId: messageId } : { outcome: 'sent' };
    }
    return classifySendgrid(answer.status, parseJson<SendgridErrorBody>(answer.text), answer.headers);
  }
}
