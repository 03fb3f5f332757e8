import { connect } from 'node:net';

/**
 * nodemailer's `getSocket` hook: opens the TCP connection itself with Nagle's algorithm off. SMTP is a
 * conversation of small writes; with Nagle on, each message waits for the server's delayed ACK
 * (about 40 ms on Linux), which caps one pooled connection at about 20 messages a second.
 * TLS (smtps, STARTTLS) is still negotiated by nodemailer over this socket.
 */
export function openSmtpSocket(
  options: { host?: string; port?: number; connectionTimeout?: number },
  callback: (err: Error | null, socketOptions?: { connection: import('node:net').Socket }) => void,
): void {
  const socket = connect({ host: options.host ?? 'localhost', port: options.port ?? 587 });
  socket.setNoDelay(true);
  let settled = false;
  const finish = (err: Error | null) => {
    if (settled) return;
    settled = true;
    clearTimeout(timer);
    socket.removeListener('error', finish);
    if (err) {
      socket.destroy();
      callback(err);
    } else callback(null, { connection: socket });
  };
  const timer = setTimeout(() => finish(Object.assign(new Error('Connection timeout'), { code: 'ETIMEDOUT' })), options.connectionTimeout ?? 10_000);
  socket.once('error', finish);
  socket.once('connect', () => finish(null));
}
