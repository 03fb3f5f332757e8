import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/** What the peer does with one message once its data has arrived, or at MAIL FROM. */
export type ChaosAction =
  | { kind: 'accept' }
  | { kind: 'reply'; code: number; text: string }
  /** Never answer (the client's socket timeout fires); the connection is dropped later. */
  | { kind: 'hang' }
  /** Drop the connection without answering. */
  | { kind: 'close' };

export interface ChaosPlan {
  /** Asked at MAIL FROM; `hang` and `close` here happen before any message data. Default: go on. */
  atMailFrom?: (n: number) => ChaosAction;
  /** Asked once the whole message has arrived. */
  afterData: (mail: { notificationId: string | null; to: string[]; n: number }) => ChaosAction;
}

export interface ChaosCounts {
  connections: number;
  accepted: number;
  transient4xx: number;
  permanent5xx: number;
  hungBeforeData: number;
  closedBeforeData: number;
  hungAfterData: number;
  closedAfterData: number;
}

export interface ChaosSmtpPeer {
  port: number;
  url: string;
  counts: ChaosCounts;
  /**
   * Messages the peer holds, by notification id: answered 250, or received whole and then left
   * unanswered or dropped (the worst case for the sender: the server may deliver those).
   */
  held: Map<string, number>;
  /** Notification ids whose message data began to arrive (whole or not): only those may have been accepted. */
  dataSeen: Set<string>;
  /** When each message was last answered 250, by notification id. */
  acceptedAt: Map<string, number>;
  /** The data (headers and body) of the last message held for each notification id. */
  messages: Map<string, string>;
  plan: ChaosPlan;
  /** The server goes down: it stops listening (connects are refused) and every open connection is dropped. */
  stopListening(): Promise<void>;
  /** The server is back, on the same port. */
  listenAgain(): Promise<void>;
  close(): Promise<void>;
}

const HEADER = /^X-Herald-Notification-Id:\s*([0-9a-f-]{36})/im;

/**
 * A small SMTP server written on raw sockets so that it can misbehave at any step: answer 4xx or 5xx,
 * hang past the client's timeout, or drop the connection after it has received a whole message.
 */
export async function startChaosSmtpPeer(plan: ChaosPlan, hangForMs = 20_000): Promise<ChaosSmtpPeer> {
  const counts: ChaosCounts = {
    connections: 0,
    accepted: 0,
    transient4xx: 0,
    permanent5xx: 0,
    hungBeforeData: 0,
    closedBeforeData: 0,
    hungAfterData: 0,
    closedAfterData: 0,
  };
  const held = new Map<string, number>();
  const sockets = new Set<Socket>();
  let mailFromCount = 0;
  let messageCount = 0;
  const dataSeen = new Set<string>();
  const acceptedAt = new Map<string, number>();
  const messages = new Map<string, string>();
  const noop = async () => undefined;
  const peer: ChaosSmtpPeer = { port: 0, url: '', counts, held, dataSeen, acceptedAt, messages, plan, stopListening: noop, listenAgain: noop, close: noop };

  const server: Server = createServer((socket) => {
    counts.connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let buffer = '';
    let inData = false;
    let stalled = false;
    let rcpt: string[] = [];
    const write = (line: string) => {
      if (!socket.destroyed) socket.write(`${line}\r\n`);
    };
    const stall = () => {
      stalled = true;
      setTimeout(() => socket.destroy(), hangForMs).unref();
    };
    const hold = (id: string | null, message: string) => {
      if (!id) return;
      held.set(id, (held.get(id) ?? 0) + 1);
      messages.set(id, message);
    };

    const onMessage = (message: string) => {
      const n = ++messageCount;
      const match = HEADER.exec(message);
      const id = match ? match[1].toLowerCase() : null;
      const action = peer.plan.afterData({ notificationId: id, to: rcpt, n });
      rcpt = [];
      switch (action.kind) {
        case 'accept':
          counts.accepted++;
          hold(id, message);
          if (id) acceptedAt.set(id, Date.now());
          write(`250 2.0.0 queued as ${n}`);
          return;
        case 'reply':
          if (action.code >= 500) counts.permanent5xx++;
          else counts.transient4xx++;
          write(`${action.code} ${action.text}`);
          return;
        case 'hang':
          counts.hungAfterData++;
          hold(id, message);
          stall();
          return;
        case 'close':
          counts.closedAfterData++;
          hold(id, message);
          socket.destroy();
          return;
      }
    };

    const onCommand = (line: string) => {
      const verb = line.slice(0, 4).toUpperCase();
      switch (verb) {
        case 'EHLO':
        case 'HELO':
          write('250 chaos.test');
          return;
        case 'MAIL': {
          const action = peer.plan.atMailFrom?.(++mailFromCount) ?? { kind: 'accept' };
          if (action.kind === 'hang') {
            counts.hungBeforeData++;
            stall();
            return;
          }
          if (action.kind === 'close') {
            counts.closedBeforeData++;
            socket.destroy();
            return;
          }
          if (action.kind === 'reply') {
            if (action.code >= 500) counts.permanent5xx++;
            else counts.transient4xx++;
            write(`${action.code} ${action.text}`);
            return;
          }
          rcpt = [];
          write('250 2.1.0 ok');
          return;
        }
        case 'RCPT':
          rcpt.push(/<([^>]*)>/.exec(line)?.[1] ?? '');
          write('250 2.1.5 ok');
          return;
        case 'DATA':
          inData = true;
          write('354 go ahead');
          return;
        case 'RSET':
          rcpt = [];
          write('250 2.0.0 ok');
          return;
        case 'NOOP':
          write('250 2.0.0 ok');
          return;
        case 'QUIT':
          write('221 2.0.0 bye');
          socket.end();
          return;
        default:
          write('502 5.5.2 not implemented');
      }
    };

    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      if (stalled) return;
      buffer += chunk;
      for (;;) {
        if (stalled || socket.destroyed) return;
        if (inData) {
          const seen = HEADER.exec(buffer);
          if (seen) dataSeen.add(seen[1].toLowerCase());
          const end = buffer.startsWith('.\r\n') ? 0 : buffer.indexOf('\r\n.\r\n');
          if (end < 0) return;
          const data = buffer.slice(0, end);
          buffer = buffer.slice(end === 0 ? 3 : end + 5);
          inData = false;
          onMessage(data);
        } else {
          const eol = buffer.indexOf('\r\n');
          if (eol < 0) return;
          const line = buffer.slice(0, eol);
          buffer = buffer.slice(eol + 2);
          onCommand(line);
        }
      }
    });
    write('220 chaos.test ESMTP');
  });
  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  await listen(0);
  peer.port = (server.address() as AddressInfo).port;
  let listening = true;
  peer.stopListening = async () => {
    listening = false;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    // A moment to read what clients had already written, so that `dataSeen` holds every message cut here.
    await new Promise((r) => setTimeout(r, 50));
    for (const s of sockets) s.destroy();
    await closed;
  };
  peer.listenAgain = async () => {
    await listen(peer.port);
    listening = true;
  };
  peer.url = `smtp://127.0.0.1:${peer.port}?tls=none`;
  peer.close = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      if (listening) server.close(() => resolve());
      else resolve();
    });
  return peer;
}
