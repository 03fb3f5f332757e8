import { connect, type Socket } from 'node:net';

/**
 * Opens the TCP connection for the SMTP pool, with Nagle's algorithm off; the callback gets either an error
 * (refused, reset, timed out: the socket is destroyed) or the connected socket, never both. SMTP is a
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
  coalesceWrites(socket);
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

/**
 * With Nagle's algorithm off, every write is its own packet: nodemailer writes a message as a dozen small
 * chunks (headers, boundaries, encoded parts, the final dot), each a system call on this side and a
 * wake-up on the server's. Writes made in one turn of the event loop are held (cork) and leave together
 * before the next (uncork in setImmediate), so a message goes out in one or two packets. An SMTP command
 * still leaves at once after the code that wrote it returns; nothing waits for a timer.
 */
export function coalesceWrites(socket: Socket): void {
  const write = socket.write;
  let corked = false;
  const uncork = () => {
    corked = false;
    socket.uncork();
  };
  socket.write = function (this: Socket, ...args: Parameters<Socket['write']>) {
    if (!corked) {
      corked = true;
      socket.cork();
      setImmediate(uncork);
    }
    return write.apply(this, args);
  } as Socket['write'];
}
