import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerAuthentication } from 'smtp-server';
import { applySecurityHeaders } from '../infrastructure/http/security-headers';

export interface CaughtMail {
  id: number;
  receivedAt: string;
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
  messageId: string;
  headers: Record<string, string>;
}

/**
 * Decides the server's answer to a message: undefined accepts it (250), otherwise the SMTP reply to give.
 * A promise holds the answer back until it settles (a slow server).
 */
export type SmtpResponder = (mail: CaughtMail) => SmtpAnswer | undefined | Promise<SmtpAnswer | undefined>;
type SmtpAnswer = { code: number; message: string };

export interface SmtpCatcher {
  port: number;
  url: string;
  /** Messages accepted with 250, oldest first. */
  accepted: CaughtMail[];
  /** Every message received, whatever the answer. */
  received: CaughtMail[];
  respond: SmtpResponder;
  close(): Promise<void>;
}

/**
 * A real SMTP server on a port that keeps what it receives: the local inbox, and the email peer in tests. With
 * `auth`, it refuses mail from a client that has not logged in with that user and password (AUTH PLAIN or LOGIN).
 */
export async function startSmtpCatcher(options: { port?: number; host?: string; auth?: { user: string; pass: string } } = {}): Promise<SmtpCatcher> {
  let nextId = 1;
  const login = options.auth;
  const catcher = {
    port: 0,
    url: '',
    accepted: [] as CaughtMail[],
    received: [] as CaughtMail[],
    respond: (() => undefined) as SmtpResponder,
    close: async (): Promise<void> => undefined,
  };
  const server = new SMTPServer({
    authOptional: !login,
    ...(login
      ? {
          authMethods: ['PLAIN', 'LOGIN'],
          allowInsecureAuth: true,
          onAuth(auth: SMTPServerAuthentication, _session: unknown, callback: (err: Error | null | undefined, response?: { user: string }) => void) {
            if (auth.username === login.user && auth.password === login.pass) callback(null, { user: login.user });
            else callback(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
          },
        }
      : {}),
    disabledCommands: ['STARTTLS'],
    logger: false,
    size: 30 * 1024 * 1024,
    onData(stream, session, callback) {
      simpleParser(stream)
        .then(async (parsed) => {
          const mail: CaughtMail = {
            id: nextId++,
            receivedAt: new Date().toISOString(),
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
            html: typeof parsed.html === 'string' ? parsed.html : '',
            messageId: parsed.messageId ?? '',
            headers: Object.fromEntries(parsed.headerLines.map((h) => [h.key, h.line.slice(h.line.indexOf(':') + 1).trim()])),
          };
          catcher.received.push(mail);
          const answer = await catcher.respond(mail);
          if (answer) {
            const err = Object.assign(new Error(answer.message), { responseCode: answer.code });
            callback(err);
            return;
          }
          catcher.accepted.push(mail);
          callback(null, `Queued as ${mail.id}`);
        })
        .catch((err: Error) => callback(err));
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  catcher.port = (server.server.address() as AddressInfo).port;
  catcher.url = `smtp://${options.host ?? '127.0.0.1'}:${catcher.port}`;
  catcher.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return catcher;
}

/** A small web inbox over a catcher: HTML at /, JSON at /messages. */
export async function startInbox(catcher: SmtpCatcher, port: number, host = '127.0.0.1'): Promise<HttpServer> {
  const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  const server = createServer((req, res) => {
    applySecurityHeaders(res, { page: 'local-inbox' });
    if (req.url?.startsWith('/messages')) {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(catcher.accepted.slice().reverse(), null, 2));
      return;
    }
    const rows = catcher.accepted
      .slice()
      .reverse()
      .map(
        (m) =>
          `<article><h3>${escape(m.subject)}</h3><p><b>To:</b> ${escape(m.to.join(', '))} &middot; <b>From:</b> ${escape(m.from)} &middot; ${escape(m.receivedAt)}</p>` +
          `<pre>${escape(m.text)}</pre></article>`,
      )
      .join('');
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end(
      `<!doctype html><meta charset="utf-8"><meta http-equiv="refresh" content="5"><title>Herald local inbox</title>` +
        `<style>body{font-family:sans-serif;max-width:60rem;margin:2rem auto}article{border-bottom:1px solid #ddd}pre{white-space:pre-wrap}</style>` +
        `<h1>Herald local inbox</h1><p>${catcher.accepted.length} message(s). JSON: <a href="/messages">/messages</a></p>${rows || '<p>No mail yet.</p>'}`,
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return server;
}
