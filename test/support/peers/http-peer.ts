import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  method: string;
  /** Path and query, as sent. */
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  text: string;
}

export interface PeerResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string | object;
  /** Close the connection without answering (the request was read: the provider may have acted on it). */
  drop?: boolean;
}

export type Responder = (req: ReceivedRequest) => PeerResponse | Promise<PeerResponse>;

/**
 * A local HTTP server standing in for a provider: it records every request and answers with `respond`.
 * `stall()` makes it hold requests without answering (a provider that hangs); `resume()` releases them.
 */
export class HttpPeer {
  readonly received: ReceivedRequest[] = [];
  respond: Responder;
  private stalled = false;
  private readonly held: Array<() => void> = [];
  private readonly open = new Set<ServerResponse>();

  private constructor(
    private readonly server: Server,
    defaultResponder: Responder,
  ) {
    this.respond = defaultResponder;
  }

  static async start(defaultResponder: Responder): Promise<HttpPeer> {
    let peer: HttpPeer | null = null;
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => void peer!.handle({ method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks), text: Buffer.concat(chunks).toString('utf8') }, res));
    });
    peer = new HttpPeer(server, defaultResponder);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return peer;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stall(): void {
    this.stalled = true;
  }

  resume(): void {
    this.stalled = false;
    for (const release of this.held.splice(0)) release();
  }

  private async handle(req: ReceivedRequest, res: ServerResponse): Promise<void> {
    this.received.push(req);
    this.open.add(res);
    res.on('close', () => this.open.delete(res));
    if (this.stalled) await new Promise<void>((resolve) => this.held.push(resolve));
    if (res.destroyed) return;
    const answer = await this.respond(req);
    if (answer.drop) {
      res.destroy();
      return;
    }
    const body = answer.body === undefined ? '' : typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
    const type = typeof answer.body === 'object' ? { 'content-type': 'application/json' } : {};
    res.writeHead(answer.status, { ...type, ...answer.headers });
    res.end(body);
  }

  async close(): Promise<void> {
    this.resume();
    for (const res of this.open) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
