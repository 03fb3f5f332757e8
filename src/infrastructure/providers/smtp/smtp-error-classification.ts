import type { FailureScope, SendResult } from '../../../domain/notification/send-result';

/** The parts of a nodemailer error that matter for classification. */
export interface SmtpFailure {
  code?: string;
  responseCode?: number;
  response?: string;
  command?: string;
  message: string;
}

/**
 * SMTP outcome table (RFC 5321 reply codes, nodemailer error codes):
 * - 4xx reply: transient (greylisting, mailbox busy, rate limited): retry later. It is about the recipient (it does
 *   not count toward the provider's circuit breaker) when it answers RCPT TO, when it is 450 (mailbox unavailable),
 *   or when its enhanced status is about the address or the mailbox (4.1.x, 4.2.x): the server is up and taking mail
 *   for others. Any other 4xx (421 closing, 451 local error, 452 out of storage) is about the server.
 * - 5xx reply: permanent (unknown user, rejected content): never retried.
 * - connection refused / DNS / TLS / greeting failures, before any message data was sent: transient.
 * - any other failure (timeout, dropped socket, protocol error) after the whole message was handed to
 *   the socket: unknown. The server may have queued the mail; sending again could deliver it twice.
 *   Before that (at connect, in the envelope, part-way through the data) the server cannot have accepted
 *   the message, since it accepts only after the final dot: transient. Nodemailer reports connection
 *   failures with command "CONN" whatever the phase, so the adapter tells whether the message had been
 *   handed over (`messageHandedOver`).
 * - authentication failure: permanent until the configuration is fixed.
 */
export function classifySmtpFailure(err: SmtpFailure, messageHandedOver = false): SendResult {
  const text = (err.response ?? err.message).slice(0, 500);
  if (typeof err.responseCode === 'number') {
    if (err.responseCode >= 400 && err.responseCode < 500) {
      return { outcome: 'transient', code: `smtp_${err.responseCode}`, message: text, scope: smtpTransientScope(err) };
    }
    if (err.responseCode >= 500) {
      if (err.code === 'EAUTH') return { outcome: 'permanent', code: 'smtp_auth_failed', message: text };
      return { outcome: 'permanent', code: `smtp_${err.responseCode}`, message: text };
    }
  }
  if (err.code === 'EAUTH') return { outcome: 'permanent', code: 'smtp_auth_failed', message: text };
  if (err.code === 'EENVELOPE') return { outcome: 'permanent', code: 'smtp_bad_envelope', message: text };
  if (messageHandedOver) return { outcome: 'unknown', code: 'smtp_lost_after_data', message: text };
  switch (err.code) {
    case 'ETIMEDOUT':
    case 'ESOCKET':
    case 'ECONNRESET':
      return { outcome: 'transient', code: `smtp_${err.code.toLowerCase()}`, message: text };
    default:
      return { outcome: 'transient', code: `smtp_${(err.code ?? 'error').toLowerCase()}`, message: text };
  }
}

/** Whether a 4xx reply is about one recipient or about the server (see classifySmtpFailure). */
function smtpTransientScope(err: SmtpFailure): FailureScope {
  if (err.responseCode === 421) return 'provider';
  if (err.command === 'RCPT TO' || err.responseCode === 450) return 'recipient';
  const enhanced = /^\d{3}[ -]4\.([12])\.\d{1,3}\b/.exec(err.response ?? '');
  return enhanced ? 'recipient' : 'provider';
}
