import { readFileSync } from 'node:fs';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { createSecureContext, TLSSocket, type SecureContext } from 'node:tls';

/**
 * How the gate treats traffic. `pass`: forward. `reset`: the first request that arrives on a connection is
 * cut with a TCP RST, on alternate connections before it reaches the provider and after the provider has
 * answered (the answer is lost). `tls-garbage`: new connections get bytes that are no TLS ServerHello, then
 * the connection is closed. `slow-accept`: new connections wait `ms` before the TLS handshake starts.
 * `blackhole`: a connection that carries a request while the mode is on never forwards or answers anything
 * again and is never closed (a half-open connection: the provider accepted and went silent).
 */
export type GateMode = { kind: 'pass' } | { kind: 'reset' } | { kind: 'tls-garbage' } | { kind: 'slow-accept'; ms: number } | { kind: 'blackhole' };

export interface GateCounts {
  connections: number;
  resetBeforeProvider: number;
  resetAfterProvider: number;
  tlsGarbage: number;
  slowAccepts: number;
  blackholed: number;
}

interface Conn {
  raw: Socket;
  tls: TLSSocket | null;
  upstream: Socket | null;
  lastActivity: number;
  /** No longer forwards client data (closing, cut or black-holed); what arrives is still recorded. */
  detached: boolean;
  hung: boolean;
  /** Forward this request, then reset the connection instead of relaying the provider's answer. */
  cutOnAnswer: boolean;
}

const TLS_DIR = join(__dirname, '../../fixtures/tls');

/** The CA that signed the gate's certificate (`*.faults.test`): Herald trusts it through NODE_EXTRA_CA_CERTS. */
export const FAULT_CA_FILE = join(TLS_DIR, 'ca.pem');

/**
 * A provider's front door: a TCP listener on 127.0.0.1 that terminates TLS (`https://<host>:<port>`, host under
 * `.faults.test`) and forwards the plaintext to a provider peer that speaks the provider's protocol (HTTP/1.1 or
 * h2c). It fails as networks and providers do: it stops listening and listens again on the same port, resets
 * connections mid-request, answers the TLS handshake with garbage, accepts slowly, or goes silent. Every marker
 * (`markerPattern`) that arrives from the client is recorded in `seen`: a request whose marker never reached the
 * gate cannot have reached the provider.
 */
export class FaultGate {
  mode: GateMode = { kind: 'pass' };
  readonly seen = new Map<string, number>();
  readonly counts: GateCounts = { connections: 0, resetBeforeProvider: 0, resetAfterProvider: 0, tlsGarbage: 0, slowAccepts: 0, blackholed: 0 };
  port = 0;
  private readonly server: Server;
  private readonly conns = new Set<Conn>();
  private readonly context: SecureContext;
  private listening = false;
  private resets = 0;

  constructor(
    readonly host: string,
    private readonly upstreamPort: number,
    private readonly markerPattern: RegExp,
  ) {
    this.context = createSecureContext({ cert: readFileSync(join(TLS_DIR, 'provider.pem')), key: readFileSync(join(TLS_DIR, 'provider.key')) });
    this.server = createServer((raw) => this.accept(raw));
    this.server.on('error', () => undefined);
  }

  get url(): string {
    return `https://${this.host}:${this.port}`;
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.port, '127.0.0.1', () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    this.port = (this.server.address() as AddressInfo).port;
    this.listening = true;
  }

  /** The provider goes down: nothing listens on the port any more (connects are refused); open connections are closed. */
  async stopListening(): Promise<void> {
    this.listening = false;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    await this.closeConnections();
    await closed;
  }

  /**
   * Closes every open connection the way a server that shuts down does: once it is quiet (no request half-way),
   * with a FIN, then destroys it a second later. Used when a fault concerns new connections only (DNS, TLS, slow
   * accept), so that the client has to open new ones.
   */
  async closeConnections(): Promise<void> {
    await Promise.all([...this.conns].filter((c) => !c.hung).map((c) => this.closeWhenQuiet(c)));
  }

  async close(): Promise<void> {
    for (const c of this.conns) this.destroy(c);
    if (this.listening) await new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.listening = false;
  }

  private async closeWhenQuiet(c: Conn): Promise<void> {
    const deadline = Date.now() + 2_000;
    while (Date.now() - c.lastActivity < 150 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    c.detached = true;
    (c.tls ?? c.raw).end();
    setTimeout(() => this.destroy(c), 1_000).unref();
  }

  private destroy(c: Conn): void {
    c.upstream?.destroy();
    c.tls?.destroy();
    c.raw.destroy();
  }

  private accept(raw: Socket): void {
    this.counts.connections++;
    const c: Conn = { raw, tls: null, upstream: null, lastActivity: Date.now(), detached: false, hung: false, cutOnAnswer: false };
    this.conns.add(c);
    raw.on('error', () => undefined);
    raw.on('close', () => {
      this.conns.delete(c);
      c.upstream?.destroy();
    });
    const mode = this.mode;
    if (mode.kind === 'tls-garbage') {
      this.counts.tlsGarbage++;
      raw.once('data', () => {
        raw.write(Buffer.from('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n\x00\xff\x13garbage'));
        raw.end();
        setTimeout(() => raw.destroy(), 200).unref();
      });
      return;
    }
    if (mode.kind === 'slow-accept') {
      this.counts.slowAccepts++;
      raw.pause();
      setTimeout(() => {
        raw.resume();
        this.startTls(c);
      }, mode.ms).unref();
      return;
    }
    this.startTls(c);
  }

  private startTls(c: Conn): void {
    if (c.raw.destroyed) return;
    const tls = new TLSSocket(c.raw, { isServer: true, secureContext: this.context, ALPNProtocols: ['h2', 'http/1.1'] });
    c.tls = tls;
    tls.on('error', () => this.destroy(c));
    let tail = '';
    tls.on('data', (chunk: Buffer) => {
      c.lastActivity = Date.now();
      const text = tail + chunk.toString('latin1');
      const markers = new Set<string>();
      for (const m of text.matchAll(new RegExp(this.markerPattern.source, 'g'))) markers.add(m[0]);
      const before = new Set<string>();
      for (const m of tail.matchAll(new RegExp(this.markerPattern.source, 'g'))) before.add(m[0]);
      for (const m of markers) if (!before.has(m)) this.seen.set(m, (this.seen.get(m) ?? 0) + 1);
      tail = text.slice(-64);
      if (c.detached) return;
      if (c.cutOnAnswer) {
        this.forward(c, chunk);
        return;
      }
      const mode = this.mode;
      if (mode.kind === 'blackhole') {
        this.counts.blackholed++;
        c.detached = true;
        c.hung = true;
        c.upstream?.destroy();
        return;
      }
      if (mode.kind === 'reset' && markers.size > 0) {
        c.detached = true;
        if (this.resets++ % 2 === 0) {
          this.counts.resetBeforeProvider++;
          // A moment to read what the client had already written, so that `seen` holds every request cut here.
          setTimeout(() => c.raw.resetAndDestroy(), 50).unref();
        } else {
          this.counts.resetAfterProvider++;
          c.detached = false;
          c.cutOnAnswer = true;
          this.forward(c, chunk);
          setTimeout(() => c.raw.resetAndDestroy(), 2_000).unref();
        }
        return;
      }
      this.forward(c, chunk);
    });
  }

  private forward(c: Conn, chunk: Buffer): void {
    if (!c.upstream) {
      const up = connect(this.upstreamPort, '127.0.0.1');
      c.upstream = up;
      up.on('error', () => this.destroy(c));
      up.on('close', () => {
        if (!c.hung && !c.detached) (c.tls ?? c.raw).end();
      });
      up.on('data', (answer: Buffer) => {
        c.lastActivity = Date.now();
        if (c.hung) return;
        if (c.cutOnAnswer) {
          c.raw.resetAndDestroy();
          return;
        }
        c.tls?.write(answer);
      });
    }
    c.upstream.write(chunk);
  }
}
