/**
 * The providers' side of the benchmark, in its own process so that it does not share an event loop with
 * the load generator: an SMTP server and an HTTP push peer that speaks FCM HTTP v1. Both note when each
 * message arrives, keyed by the notification id (the X-Herald-Notification-Id header of an email, the
 * `data.heraldNotificationId` of an FCM message) or the baseline's id, and hand the records to the parent
 * over IPC when asked.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export type PeerRequest = { type: 'take' };
export type PeerMessage =
  | { type: 'ready'; smtpPort: number; pushPort: number }
  | { type: 'taken'; smtp: Array<[string, number]>; push: Array<[string, number]> };

const ID_HEADER = /^x-(?:herald-notification|bench)-id:\s*(\S+)/im;
const FCM_SEND = /^\/v1\/projects\/([^/]+)\/messages:send$/;
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

/**
 * FCM HTTP v1 `POST /v1/projects/<p>/messages:send` answers 200 `{"name":"projects/<p>/messages/<n>"}`, as
 * FCM does for an accepted message; any other path answers 404 with FCM's error body.
 */
let pushMessages = 0;
const push = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const project = FCM_SEND.exec(req.url ?? '')?.[1];
    if (req.method !== 'POST' || !project) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 404, message: 'Requested entity was not found.', status: 'NOT_FOUND' } }));
      return;
    }
    let id = '?';
    try {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { message?: { data?: Record<string, string> } };
      id = body.message?.data?.heraldNotificationId ?? '?';
    } catch {
      // counted under '?'
    }
    pushArrivals.push([id, Date.now()]);
    res.writeHead(200, { 'content-type': 'application/json; charset=UTF-8' });
    res.end(JSON.stringify({ name: `projects/${project}/messages/${++pushMessages}` }));
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
