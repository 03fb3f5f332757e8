import type { Readable } from 'node:stream';
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import type { SmtpFailure } from './smtp-error-classification';
import { openSmtpSocket } from './smtp-socket';

export interface SmtpPoolOptions {
  /** Host, port, TLS, EHLO name and timeouts, as nodemailer's SMTP connection takes them. */
  connection: SMTPConnection.Options;
  auth?: { user: string; pass: string };
  size: number;
  /** Messages sent on one connection before it is closed with QUIT and a new one opened. */
  maxMessagesPerConnection: number;
  /** An idle connection is closed with QUIT after this long, before the server or the socket timeout drops it. */
  idleCloseMs: number;
}

export type SmtpDeliveryOutcome =
  | { ok: true; response: string }
  /** `handedOver`: the whole message had been read into the connection, so the server may have it. */
  | { ok: false; error: SmtpFailure; handedOver: boolean };

export interface SmtpEnvelope {
  from: string;
  to: string[];
}

/**
 * A pool of SMTP connections over nodemailer's protocol client (`SMTPConnection`), with the pool's invariants
 * kept here rather than in nodemailer's own pool:
 * - a slot is given back whatever ends a connection: a refused, reset or timed-out connect, a server that drops
 *   the connection mid-conversation or while it is idle, a QUIT. nodemailer 7's pool keeps the slot of a connect
 *   that failed in its `getSocket` hook and, after `size` of them, never connects again;
 * - every send ends with an outcome, and says whether the message had been handed over when it failed;
 * - a refused sender or recipient, or a refused message, is followed by RSET and the connection is reused
 *   (nodemailer's pool drops it); a connection is closed with QUIT (nodemailer's pool just ends the socket).
 */
export class SmtpConnectionPool {
  private readonly idle: PooledConnection[] = [];
  private readonly waiting: Array<(got: PooledConnection | SmtpFailure) => void> = [];
  /** Connections open or being opened: at most `size`. */
  private slots = 0;
  private closed = false;
  private drained: (() => void) | null = null;

  constructor(private readonly options: SmtpPoolOptions) {}

  /** Sends one message on a pooled connection; `message` is called once the connection is ready for it. */
  async send(envelope: SmtpEnvelope, message: () => Readable): Promise<SmtpDeliveryOutcome> {
    const got = await this.acquire();
    if (!(got instanceof PooledConnection)) return { ok: false, error: got, handedOver: false };
    const outcome = await got.deliver(envelope, message());
    this.release(got);
    return outcome;
  }

  /**
   * Fails the sends still waiting for a connection (none of them was transmitted) and closes every connection
   * with QUIT once its current message is done; resolves when all are closed, or after `waitMs`.
   */
  close(waitMs = 3_000): Promise<void> {
    this.closed = true;
    for (const wake of this.waiting.splice(0)) wake(failure('Connection pool was closed', 'EPOOLCLOSED'));
    for (const c of this.idle.splice(0)) c.quit();
    if (this.slots === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, waitMs);
      timer.unref();
      this.drained = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  private acquire(): Promise<PooledConnection | SmtpFailure> {
    if (this.closed) return Promise.resolve(failure('Connection pool was closed', 'EPOOLCLOSED'));
    const ready = this.idle.pop();
    if (ready) {
      ready.wake();
      return Promise.resolve(ready);
    }
    if (this.slots < this.options.size) return this.open();
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(c: PooledConnection): void {
    if (!c.usable) return;
    if (this.closed || c.messages >= this.options.maxMessagesPerConnection) return c.quit();
    const next = this.waiting.shift();
    if (next) return next(c);
    this.idle.push(c);
    c.sleep(this.options.idleCloseMs, () => {
      const i = this.idle.indexOf(c);
      if (i >= 0) this.idle.splice(i, 1);
      c.quit();
    });
  }

  /**
   * Opens a connection in a free slot. The slot is given back exactly once, whichever comes first: the connect
   * failing, or the connection ending at any later time (dropped, timed out, closed with QUIT).
   */
  private open(): Promise<PooledConnection | SmtpFailure> {
    this.slots++;
    let freed = false;
    const free = (c?: PooledConnection) => {
      if (freed) return;
      freed = true;
      if (c) {
        const i = this.idle.indexOf(c);
        if (i >= 0) this.idle.splice(i, 1);
      }
      this.freeSlot();
    };
    return PooledConnection.open(this.options, free).then((got) => {
      if (got instanceof PooledConnection && got.usable) return got;
      free();
      return got instanceof PooledConnection ? failure('Connection closed by the server', 'ECONNECTION') : got;
    });
  }

  private freeSlot(): void {
    this.slots--;
    // A send waiting for a connection gets the slot and connects on its own (and fails on its own if the
    // server is still away), so that no send waits for a connection that will never come.
    const next = this.waiting.shift();
    if (next) void this.open().then(next);
    if (this.slots === 0 && this.drained) this.drained();
  }
}

/** One SMTP connection: at most one message at a time, and told of its own end exactly once. */
class PooledConnection {
  messages = 0;
  private ended = false;
  private idleTimer: NodeJS.Timeout | undefined;
  /** The operation under way (connect, send or RSET), told if the connection dies under it. */
  private interrupt: ((err: SmtpFailure) => void) | null = null;

  private constructor(
    private readonly connection: SMTPConnection,
    onEnd: (c: PooledConnection) => void,
  ) {
    connection.on('error', (err) => this.die(err));
    connection.once('end', () => this.die(failure('Connection closed by the server', 'ECONNECTION')));
    this.onEnd = onEnd;
  }

  private readonly onEnd: (c: PooledConnection) => void;

  get usable(): boolean {
    return !this.ended;
  }

  static open(options: SmtpPoolOptions, onEnd: (c: PooledConnection) => void): Promise<PooledConnection | SmtpFailure> {
    return new Promise((resolve) => {
      const c = options.connection;
      openSmtpSocket({ host: c.host, port: c.port, connectionTimeout: c.connectionTimeout }, (err, socket) => {
        if (err || !socket) return resolve(err ?? failure('No socket', 'ECONNECTION'));
        // Created in the same turn as the socket, so that an error on it always has a listener.
        const pooled = new PooledConnection(new SMTPConnection({ ...c, connection: socket.connection, logger: false, debug: false }), onEnd);
        pooled.handshake(options.auth).then(resolve, resolve);
      });
    });
  }

  private handshake(auth: SmtpPoolOptions['auth']): Promise<PooledConnection> {
    return new Promise((resolve, reject: (err: SmtpFailure) => void) => {
      this.interrupt = reject;
      this.connection.connect(() => {
        // `allowsAuth` (set from the EHLO answer) is missing from the type definitions.
        if (!auth || !(this.connection as unknown as { allowsAuth: boolean }).allowsAuth) {
          this.interrupt = null;
          return resolve(this);
        }
        this.connection.login(auth, (err) => {
          this.interrupt = null;
          if (err) {
            this.quit();
            return reject(err);
          }
          resolve(this);
        });
      });
    });
  }

  deliver(envelope: SmtpEnvelope, message: Readable): Promise<SmtpDeliveryOutcome> {
    return new Promise((resolve) => {
      let handedOver = false;
      // The message's last byte has gone into the connection's data stream: the final dot follows at once, and
      // from here the server may accept the message whatever happens to the connection.
      message.once('end', () => {
        handedOver = true;
      });
      let settled = false;
      const settle = (outcome: SmtpDeliveryOutcome) => {
        if (settled) return;
        settled = true;
        this.interrupt = null;
        resolve(outcome);
      };
      this.interrupt = (error) => settle({ ok: false, error, handedOver });
      this.connection.send(envelope, message, (err, info) => {
        this.messages++;
        if (!err) return settle({ ok: true, response: info.response ?? '' });
        const outcome: SmtpDeliveryOutcome = { ok: false, error: err, handedOver };
        if (this.ended) return settle(outcome);
        // The server refused the sender, a recipient or the message, and the conversation goes on: reset it, so
        // that the next message on this connection starts from a clean envelope.
        this.interrupt = () => settle(outcome);
        this.connection.reset((resetErr) => {
          if (resetErr) this.quit();
          settle(outcome);
        });
      });
    });
  }

  sleep(ms: number, then: () => void): void {
    this.idleTimer = setTimeout(then, ms);
    this.idleTimer.unref();
  }

  wake(): void {
    clearTimeout(this.idleTimer);
  }

  quit(): void {
    this.wake();
    if (this.ended) return;
    this.connection.quit();
    // A server that does not answer QUIT is not waited for.
    setTimeout(() => this.connection.close(), 2_000).unref();
  }

  private die(err: SmtpFailure): void {
    if (this.ended) return;
    this.ended = true;
    this.wake();
    const interrupt = this.interrupt;
    this.interrupt = null;
    interrupt?.(err);
    this.connection.close();
    this.onEnd(this);
  }
}

function failure(message: string, code: string): SmtpFailure {
  return Object.assign(new Error(message), { code, command: 'CONN' });
}
