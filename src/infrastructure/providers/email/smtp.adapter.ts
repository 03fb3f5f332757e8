import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { createTransport, type Transporter } from 'nodemailer';
import type { SendResult } from '../../../domain/notification/send-result';
import { EmailProvider, type OutgoingEmail } from '../../../domain/ports/email-provider.port';
import { HeraldConfig } from '../../config/herald-config';
import { classifySmtpFailure, type SmtpFailure } from './smtp-error-classification';
import { openSmtpSocket } from './smtp-socket';

/** Sends email over SMTP with a pool of reused connections (nodemailer). */
@Injectable()
export class SmtpEmailAdapter extends EmailProvider implements OnApplicationShutdown {
  readonly name = 'smtp';
  /** SMTP has no idempotency key: a resend after an unknown outcome could deliver twice. */
  readonly idempotent = false;
  private pool: Transporter | null = null;

  constructor(private readonly config: HeraldConfig) {
    super();
  }

  /** Created on first use, so that processes that never send email need no SMTP settings. */
  private get transport(): Transporter {
    if (this.pool) return this.pool;
    const config = this.config;
    const url = new URL(config.email.smtpUrl);
    const insecure = url.searchParams.get('tls') === 'insecure';
    this.pool = createTransport({
      pool: true,
      host: url.hostname,
      port: Number(url.port || (url.protocol === 'smtps:' ? 465 : 587)),
      secure: url.protocol === 'smtps:',
      auth: url.username ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } : undefined,
      // tls=insecure accepts self-signed certificates (local catchers); tls=none never upgrades to TLS.
      ignoreTLS: url.searchParams.get('tls') === 'none',
      tls: insecure ? { rejectUnauthorized: false } : undefined,
      maxConnections: config.email.poolSize,
      maxMessages: 1000,
      connectionTimeout: config.email.connectionTimeoutMs,
      greetingTimeout: config.email.connectionTimeoutMs,
      socketTimeout: config.email.socketTimeoutMs,
      getSocket: openSmtpSocket,
    });
    return this.pool;
  }

  async send(email: OutgoingEmail): Promise<SendResult> {
    try {
      const info = await this.transport.sendMail({
        from: this.config.email.from,
        to: email.to,
        subject: email.subject,
        text: email.text,
        html: email.html,
        // A stable Message-ID lets receiving systems and support staff recognise a message as this notification.
        messageId: `<${email.notificationId}@herald>`,
        headers: { 'X-Herald-Notification-Id': email.notificationId },
      });
      return { outcome: 'sent', providerMessageId: info.messageId };
    } catch (err) {
      return classifySmtpFailure(err as SmtpFailure);
    }
  }

  onApplicationShutdown(): void {
    this.pool?.close();
  }
}
