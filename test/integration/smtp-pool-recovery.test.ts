import { randomUUID } from 'node:crypto';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import type { Readable } from 'node:stream';
import { SMTPServer } from 'smtp-server';
import { loadConfig } from '../../src/infrastructure/config/load-config';
import { SmtpEmailAdapter } from '../../src/infrastructure/providers/smtp/smtp.adapter';
import type { SendResult } from '../../src/domain/notification/send-result';

/**
 * The SMTP adapter (real nodemailer protocol code) against a real SMTP server that is stopped and started again
 * on the same port, and against ports that refuse, reset or never greet: the pool must connect again every
 * time the server is back, whatever happened before.
 */

type Behaviour = 'accept' | 'hang-at-mail' | 'hang-after-data';

/** smtp-server on a fixed port that can be stopped (every connection dropped at once, as a crash or restart does) and started again. */
class RestartableSmtpServer {
  behaviour: Behaviour = 'accept';
  readonly received: string[] = [];
  readonly commands: string[] = [];
  connections = 0;
  private server: SMTPServer | null = null;
  private readonly sockets = new Set<Socket>();

  constructor(readonly port: number) {}

  async start(): Promise<void> {
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onConnect: (_session, done) => {
        this.connections++;
        done();
      },
      onMailFrom: (_address, _session, done) => {
        this.commands.push('MAIL');
        if (this.behaviour !== 'hang-at-mail') done();
      },
      onRcptTo: (address, _session, done) => {
        if (address.address.startsWith('nobody@')) return done(Object.assign(new Error('5.1.1 no such user'), { responseCode: 550 }));
        done();
      },
      onData: (stream: Readable, _session, done) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const id = /X-Herald-Notification-Id: (\S+)/i.exec(Buffer.concat(chunks).toString())?.[1] ?? '';
          this.received.push(id);
          if (this.behaviour !== 'hang-after-data') done();
        });
      },
    });
    // The commands the client sends, read off the wire (smtp-server has no hook for RSET or QUIT).
    server.server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('data', (d: Buffer) => {
        for (const line of d.toString('latin1').split('\r\n')) {
          const verb = /^(RSET|QUIT|EHLO|HELO)\b/i.exec(line)?.[1];
          if (verb) this.commands.push(`${verb.toUpperCase()}${verb.toUpperCase() === 'EHLO' ? ` ${line.slice(5)}` : ''}`);
        }
      });
      socket.once('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    server.on('error', () => undefined);
    this.server = server;
  }

  /** Stops listening and drops every open connection without a word, as a stopped or crashed server does. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => server.server.close(() => resolve()));
  }
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', () => r()));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((r) => probe.close(() => r()));
  return port;
}

/** A plain TCP listener on the port that resets every connection at once (a half-started server, a proxy with no backend). */
async function resetEveryConnection(port: number): Promise<Server> {
  const server = createServer((socket) => socket.resetAndDestroy());
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', () => r()));
  return server;
}

/** A listener that accepts and never says a word: the client's greeting timeout fires. */
async function neverGreet(port: number): Promise<{ server: Server; sockets: Set<Socket> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', () => r()));
  return { server, sockets };
}

const closeServer = (server: Server) => new Promise<void>((r) => server.close(() => r()));

/** A bounded wait, so that a wedged pool fails the test with a message instead of hanging it. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: no outcome after ${ms} ms (the pool is wedged)`)), ms);
    }),
  ]);
}

describe('SMTP pool recovery when the mail server goes away and comes back', () => {
  const POOL_SIZE = 2;
  let port: number;
  let server: RestartableSmtpServer;
  let adapter: SmtpEmailAdapter;

  beforeEach(async () => {
    port = await freePort();
    server = new RestartableSmtpServer(port);
    await server.start();
    const config = loadConfig({
      HERALD_ROLES: 'worker:email',
      DATABASE_URL: 'postgres://unused@127.0.0.1/unused_test',
      AWS_REGION: 'us-east-1',
      SMTP_URL: `smtp://127.0.0.1:${port}?tls=none`,
      EMAIL_FROM: 'Herald <no-reply@mail.herald.test>',
      PUBLIC_URL: 'https://herald.test',
      SMTP_POOL_SIZE: String(POOL_SIZE),
      SMTP_CONNECTION_TIMEOUT: '1s',
      SMTP_SOCKET_TIMEOUT: '2s',
      LINK_SIGNING_SECRET: 'test-link-secret-0123456789abcdef0123',
    });
    adapter = new SmtpEmailAdapter(config);
  });
  afterEach(async () => {
    await adapter.onApplicationShutdown();
    await server.stop();
  });

  const send = (local = 'ada', id = randomUUID()): Promise<{ id: string; r: SendResult }> =>
    within(
      adapter.send({ notificationId: id, to: `${local}@example.com`, subject: 'Hello', text: 'Body', html: '<p>Body</p>' }),
      20_000,
      `send ${id}`,
    ).then((r) => ({ id, r }));

  const sendMany = (n: number) => Promise.all(Array.from({ length: n }, () => send()));

  it('sends again after the server was stopped (connections refused many times over) and started on the same port', async () => {
    expect((await send()).r.outcome).toBe('sent');
    await server.stop();
    const whileDown = await sendMany(POOL_SIZE * 4);
    for (const { r } of whileDown) expect(r).toMatchObject({ outcome: 'transient' });
    await server.start();
    const after = await sendMany(POOL_SIZE * 3);
    for (const { r } of after) expect(r.outcome).toBe('sent');
    expect(server.received).toEqual(expect.arrayContaining(after.map((a) => a.id)));
    // Nothing sent while the server was down reached it.
    for (const { id } of whileDown) expect(server.received).not.toContain(id);
  });

  it('sends again after connections were reset at once, and after connects that were never greeted', async () => {
    await server.stop();
    const resetting = await resetEveryConnection(port);
    for (const { r } of await sendMany(POOL_SIZE * 3)) expect(r).toMatchObject({ outcome: 'transient' });
    await closeServer(resetting);
    const silent = await neverGreet(port);
    for (const { r } of await sendMany(POOL_SIZE * 2)) expect(r).toMatchObject({ outcome: 'transient', code: 'smtp_etimedout' });
    for (const s of silent.sockets) s.destroy();
    await closeServer(silent.server);
    await server.start();
    for (const { r } of await sendMany(POOL_SIZE * 3)) expect(r.outcome).toBe('sent');
  });

  it('a restart in the middle of a conversation: before the data is complete the send is transient, after it unknown; then the pool recovers', async () => {
    expect((await send()).r.outcome).toBe('sent');
    server.behaviour = 'hang-at-mail';
    const atMail = send();
    await waitFor(() => server.commands.filter((c) => c === 'MAIL').length >= 2);
    await server.stop();
    expect((await atMail).r).toMatchObject({ outcome: 'transient' });
    await server.start();
    server.behaviour = 'hang-after-data';
    const afterData = send();
    await waitFor(() => server.received.length >= 2);
    await server.stop();
    expect((await afterData).r).toMatchObject({ outcome: 'unknown' });
    server.behaviour = 'accept';
    await server.start();
    for (const { r } of await sendMany(POOL_SIZE * 3)) expect(r.outcome).toBe('sent');
  });

  it('after a refused recipient the connection is reset (RSET) and reused; it is closed with QUIT; EHLO names the sender domain', async () => {
    expect((await send('nobody')).r).toMatchObject({ outcome: 'permanent', code: 'smtp_550' });
    expect((await send('ada')).r.outcome).toBe('sent');
    expect(server.connections).toBe(1);
    expect(server.commands).toContain('RSET');
    expect(server.commands).toContain('EHLO mail.herald.test');
    await adapter.onApplicationShutdown();
    await waitFor(() => server.commands.includes('QUIT'));
  });

  it('uses the sender domain in Message-ID', async () => {
    const { id, r } = await send();
    expect(r).toEqual({ outcome: 'sent', providerMessageId: `<${id}@mail.herald.test>` });
  });
});

async function waitFor(check: () => boolean, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 20));
  }
}
