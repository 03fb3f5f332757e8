import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import MailComposer from 'nodemailer/lib/mail-composer';
import type { SendResult } from '../../../domain/notification/send-result';
import { EmailProvider, type OutgoingEmail } from '../../../domain/ports/email-provider.port';
import { HeraldConfig } from '../../config/herald-config';
import { SmtpConnectionPool } from './smtp-connection-pool';
import { classifySmtpFailure } from './smtp-error-classification';
import { quotedPrintableForAll } from './text-encoding';

/** Sends email over SMTP with a pool of reused connections (nodemailer's SMTP client, Herald's pool). */
@Injectable()
export class SmtpEmailAdapter extends EmailProvider implements OnApplicationShutdown {
  readonly name = 'smtp';
  /** SMTP has no idempotency key: a resend after an unknown outcome could deliver twice. */
  readonly idempotent = false;
  private pool: SmtpConnectionPool | null = null;

  constructor(private readonly config: HeraldConfig) {
    super();
  }

  /**
   * `SMTP_SENDS_PER_CONNECTION` (8) messages per pooled connection: one being sent, the rest ready, so that a
   * connection never waits for the next attempts to be started. More in flight means larger waves (fewer
   * statements per email) but more outcomes left unknown if the process dies mid-wave.
   */
  override get maxInFlight(): number {
    return this.config.email.sendsPerConnection * this.config.email.poolSize;
  }

  /** Created on first use, so that processes that never send email need no SMTP settings. */
  private get connections(): SmtpConnectionPool {
    if (this.pool) return this.pool;
    const email = this.config.email;
    const url = new URL(email.smtpUrl);
    const insecure = url.searchParams.get('tls') === 'insecure';
    this.pool = new SmtpConnectionPool({
      connection: {
        host: url.hostname,
        port: Number(url.port || (url.protocol === 'smtps:' ? 465 : 587)),
        secure: url.protocol === 'smtps:',
        // tls=insecure accepts self-signed certificates (local catchers); tls=none never upgrades to TLS.
        ignoreTLS: url.searchParams.get('tls') === 'none',
        tls: insecure ? { rejectUnauthorized: false } : undefined,
        name: email.ehloName,
        connectionTimeout: email.connectionTimeoutMs,
        greetingTimeout: email.connectionTimeoutMs,
        socketTimeout: email.socketTimeoutMs,
      },
      auth: url.username ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } : undefined,
      size: email.poolSize,
      maxMessagesPerConnection: 1000,
      // Well inside the socket timeout, and inside the 300 s most servers allow an idle client.
      idleCloseMs: Math.min(email.socketTimeoutMs / 2, 60_000),
    });
    return this.pool;
  }

  async send(email: OutgoingEmail): Promise<SendResult> {
    // A stable Message-ID lets receiving systems and support staff recognise a message as this notification;
    // its right-hand side is a real domain, since spam filters score one that is not.
    const messageId = `<${email.notificationId}@${this.config.email.messageIdDomain}>`;
    const headers = { ...email.headers, 'X-Herald-Notification-Id': email.notificationId };
    const from = this.config.email.from;
    const message = new MailComposer({
      from,
      to: email.to,
      subject: email.subject,
      text: email.text,
      html: email.html,
      messageId,
      headers,
      // What nodemailer would choose for every value, without its scans (text-encoding.ts).
      ...(quotedPrintableForAll([from, email.to, email.subject, email.text, email.html, ...Object.values(headers)]) ? { textEncoding: 'quoted-printable' as const } : {}),
    }).compile();
    const envelope = message.getEnvelope();
    const outcome = await this.connections.send({ from: envelope.from || '', to: envelope.to }, () => message.createReadStream());
    return outcome.ok ? { outcome: 'sent', providerMessageId: messageId } : classifySmtpFailure(outcome.error, outcome.handedOver);
  }

  /** Closes every connection with QUIT; sends still waiting for a connection end as transient failures. */
  async onApplicationShutdown(): Promise<void> {
    await this.pool?.close();
  }
}
