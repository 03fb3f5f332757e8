/**
 * The providers' side of the benchmark, in its own process so that it does not share an event loop with
 * the load generator: an SMTP server and an HTTP push peer. Both note when each message arrives, keyed by
 * the notification id (X-Herald-Notification-Id) or the baseline's id (X-Bench-Id), and hand the records
 * to the parent over IPC when asked.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export type PeerRequest = { type: 'take' };
export type PeerMessage =
  | { type: 'ready'; smtpPort: number; pushPort: number }
  | { type: 'taken'; smtp: Array<[string, number]>; push: Array<[string, number]> };

const ID_HEADER = /^x-(?:herald-notification|bench)-id:\s*(\S+)/im;
let smtpArrivals: Array<[string, number]> = [];
let pushArrivals: Array<[string, number]> = [];

const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  // A reverse DNS lookup per connection measures the resolver, not SMTP.
  disableReverseLookup: true,
  logger: false,
  onData(stream, _session, callback) {
    let head = '';
    stream.on('data', (chunk: Buffer) => {
      if (head.length < 4096) head += chunk.toString('latin1');
    });
    stream.on('end', () => {
      const id = ID_HEADER.exec(head.split(/\r?\n\r?\n/)[0])?.[1] ?? '?';
      smtpArrivals.push([id, Date.now()]);
      callback(null, 'Queued');
    });
  },
});

const push = createServer((req, res) => {
  let body = '';
  req.on('data', (c: Buffer) => (body += c.toString('utf8')));
  req.on('end', () => {
    const id = (req.headers['x-herald-notification-id'] ?? req.headers['x-bench-id'] ?? '?') as string;
    pushArrivals.push([id, Date.now()]);
    res.writeHead(201, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ id: `msg-${pushArrivals.length}`, received: body.length }));
  });
});
push.keepAliveTimeout = 60_000;

smtp.listen(0, '127.0.0.1', () => {
  push.listen(0, '127.0.0.1', () => {
    const ready: PeerMessage = {
      type: 'ready',
      smtpPort: (smtp.server.address() as AddressInfo).port,
      pushPort: (push.address() as AddressInfo).port,
    };
    process.send!(ready);
  });
});

process.on('message', (msg: PeerRequest) => {
  if (msg.type === 'take') {
    const taken: PeerMessage = { type: 'taken', smtp: smtpArrivals, push: pushArrivals };
    smtpArrivals = [];
    pushArrivals = [];
    process.send!(taken);
  }
});
process.on('disconnect', () => process.exit(0));
