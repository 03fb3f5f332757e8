import { PassThrough, type Readable } from 'node:stream';
import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { createTransport, type Transporter } from 'nodemailer';
import type SMTPPool from 'nodemailer/lib/smtp-pool';
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
  private readonly inFlight = new Map<string, { handedOver: boolean }>();

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
  private get transport(): Transporter {
    if (this.pool) return this.pool;
    const config = this.config;
    const url = new URL(config.email.smtpUrl);
    const insecure = url.searchParams.get('tls') === 'insecure';
    const options: SMTPPool.Options = {
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
      // Sockets without Nagle's delay: nodemailer otherwise waits for an ACK on every message.
      getSocket: openSmtpSocket,
    };
    // maxRequeues (missing from the type definitions): never resend on another connection after a dropped
    // one, since the server may already have the message.
    this.pool = createTransport(Object.assign(options, { maxRequeues: 0 }));
    this.pool.use('stream', (mail, done) => {
      this.watchHandOver(mail as unknown as Parameters<SmtpEmailAdapter['watchHandOver']>[0]);
      done();
    });
    return this.pool;
  }

  send(email: OutgoingEmail): Promise<SendResult> {
    // A stable Message-ID lets receiving systems and support staff recognise a message as this notification.
    const messageId = `<${email.notificationId}@herald>`;
    const tracker = { handedOver: false };
    const transport = this.transport;
    this.inFlight.set(messageId, tracker);
    return new Promise<SendResult>((resolve) => {
      transport.sendMail(
        {
          from: this.config.email.from,
          to: email.to,
          subject: email.subject,
          text: email.text,
          html: email.html,
          messageId,
          headers: { ...email.headers, 'X-Herald-Notification-Id': email.notificationId },
        },
        (err) => {
          this.inFlight.delete(messageId);
          // Read when nodemailer reports the error: after a failure before DATA, nodemailer drains the
          // message stream itself, but only after reporting it.
          resolve(err ? classifySmtpFailure(err as SmtpFailure, tracker.handedOver) : { outcome: 'sent', providerMessageId: messageId });
        },
      );
    });
  }

  /**
   * Marks a message as handed over once the connection has read its last byte: from then on the server
   * may have it, and a failure is an unknown outcome rather than a safe retry.
   */
  private watchHandOver(mail: { data: { messageId?: string }; message: { processFunc(fn: (input: Readable) => Readable): void } }): void {
    const tracker = mail.data.messageId ? this.inFlight.get(mail.data.messageId) : undefined;
    if (!tracker) return;
    mail.message.processFunc((input) => {
      const watched = new PassThrough();
      watched.once('end', () => {
        tracker.handedOver = true;
      });
      input.once('error', (err) => watched.destroy(err));
      return input.pipe(watched);
    });
  }

  onApplicationShutdown(): void {
    this.pool?.close();
  }
}
