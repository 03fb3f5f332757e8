import { verify, type KeyObject } from 'node:crypto';
import { createServer, type Http2Server, type IncomingHttpHeaders } from 'node:http2';
import type { AddressInfo } from 'node:net';

export interface ApnsRequest {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export type ApnsAnswer =
  | { status: number; reason?: string; headers?: Record<string, string> }
  /** No response: the stream is reset with this HTTP/2 error code once the request was read. */
  | { reset: number };

/** An APNs stand-in over cleartext HTTP/2: records requests and answers per `respond` (default 200 with apns-id). */
export class ApnsPeer {
  readonly received: ApnsRequest[] = [];
  respond: (req: ApnsRequest) => ApnsAnswer = () => ({ status: 200 });

  private constructor(private readonly server: Http2Server) {}

  static async start(): Promise<ApnsPeer> {
    const server = createServer();
    const peer = new ApnsPeer(server);
    server.on('stream', (stream, headers) => {
      // A stream this side resets ends with an error here too; the client's side is what is under test.
      stream.on('error', () => undefined);
      let body = '';
      stream.setEncoding('utf8');
      stream.on('data', (c: string) => (body += c));
      stream.on('end', () => {
        const req = { path: String(headers[':path']), headers, body };
        peer.received.push(req);
        const answer = peer.respond(req);
        if ('reset' in answer) {
          stream.close(answer.reset);
          return;
        }
        stream.respond({ ':status': answer.status, 'apns-id': String(headers['apns-id'] ?? ''), ...answer.headers });
        stream.end(answer.reason ? JSON.stringify({ reason: answer.reason, ...(answer.status === 410 ? { timestamp: Date.now() } : {}) }) : '');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return peer;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** Checks an APNs provider token as APNs does: ES256 over header.claims, with the team's key. */
export function verifyApnsJwt(authorization: string, publicKey: KeyObject): { header: Record<string, unknown>; claims: Record<string, unknown> } | null {
  const m = /^bearer (.+)\.(.+)\.(.+)$/.exec(authorization);
  if (!m) return null;
  const ok = verify('sha256', Buffer.from(`${m[1]}.${m[2]}`), { key: publicKey, dsaEncoding: 'ieee-p1363' }, Buffer.from(m[3], 'base64url'));
  if (!ok) return null;
  return { header: JSON.parse(Buffer.from(m[1], 'base64url').toString()), claims: JSON.parse(Buffer.from(m[2], 'base64url').toString()) };
}
