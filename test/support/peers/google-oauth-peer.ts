import { execFileSync } from 'node:child_process';
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { join } from 'node:path';

/** The claims of a service-account JWT bearer assertion (RFC 7523), as Google's token endpoint reads them. */
export interface AssertionClaims {
  iss: string;
  scope: string;
  aud: string;
  iat: number;
  exp: number;
  sub?: string;
}

export interface TokenRequest {
  host: string;
  path: string;
  header: { alg: string; kid?: string; typ?: string };
  claims: AssertionClaims;
  /** The access token answered, or null when the request was refused. */
  issued: string | null;
}

/**
 * Google's OAuth 2.0 token endpoint for service accounts (developers.google.com/identity/protocols/oauth2/service-account),
 * on HTTPS with a certificate for Google's token hosts, reached through an HTTP CONNECT proxy: the only way a
 * process can be made to reach it, since google-auth-library posts to a fixed https URL. The process under test
 * gets `HTTPS_PROXY=<proxyUrl>` and `NODE_EXTRA_CA_CERTS=<caFile>`; every tunnel, whatever host it asks for, ends
 * here, and the hosts asked for are recorded.
 *
 * The endpoint checks the assertion as Google does: `grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer`, an
 * RS256 JWT signed by the service account's key, `iss` the account's e-mail, `aud` the token URL, a lifetime of at
 * most an hour. It answers `{"access_token", "expires_in": 3599, "token_type": "Bearer"}`, or 400
 * `{"error": "invalid_grant", "error_description": ...}` as Google does for a bad signature or claim.
 * `refuse` makes it answer `invalid_grant` to every request (a revoked key).
 */
export class GoogleOAuthPeer {
  readonly tunnels: string[] = [];
  readonly requests: TokenRequest[] = [];
  refuse = false;
  private issuedCount = 0;
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly tls: HttpsServer,
    private readonly proxy: HttpServer,
    readonly caFile: string,
    private readonly accounts: Map<string, KeyObject>,
  ) {}

  /** `dir` receives the certificate; `accounts` maps a service account's e-mail to its public key (PEM). */
  static async start(dir: string, accounts: Record<string, string>): Promise<GoogleOAuthPeer> {
    const keyFile = join(dir, 'google-token-host.key');
    const caFile = join(dir, 'google-token-host.pem');
    const hosts = ['oauth2.googleapis.com', 'www.googleapis.com', 'accounts.google.com'];
    // A self-signed certificate for Google's token hosts: the process under test trusts it as a root.
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=oauth2.googleapis.com',
      '-addext', `subjectAltName=${hosts.map((h) => `DNS:${h}`).join(',')}`,
      '-addext', 'basicConstraints=critical,CA:TRUE',
      '-keyout', keyFile, '-out', caFile,
    ], { stdio: 'ignore' });
    const keys = new Map(Object.entries(accounts).map(([email, pem]) => [email, createPublicKey(pem)]));
    let peer: GoogleOAuthPeer | null = null;
    const tls = createHttpsServer({ key: readFileSync(keyFile), cert: readFileSync(caFile) }, (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const { status, body } = peer!.token(req.headers.host ?? '', req.url ?? '', Buffer.concat(chunks).toString('utf8'), req.headers['content-type'] ?? '');
        res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-cache, no-store, max-age=0, must-revalidate' });
        res.end(JSON.stringify(body));
      });
    });
    const proxy = createHttpServer((_req, res) => res.writeHead(405).end());
    proxy.on('connect', (req, client: Socket, head: Buffer) => {
      peer!.tunnels.push(req.url ?? '');
      const upstream = connect((tls.address() as AddressInfo).port, '127.0.0.1', () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        if (head.length) upstream.write(head);
        upstream.pipe(client);
        client.pipe(upstream);
      });
      for (const s of [client, upstream]) {
        peer!.sockets.add(s);
        s.on('close', () => peer!.sockets.delete(s));
        s.on('error', () => undefined);
      }
    });
    await new Promise<void>((resolve) => tls.listen(0, '127.0.0.1', resolve));
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    peer = new GoogleOAuthPeer(tls, proxy, caFile, keys);
    return peer;
  }

  get proxyUrl(): string {
    return `http://127.0.0.1:${(this.proxy.address() as AddressInfo).port}`;
  }

  /** The access tokens issued so far, oldest first. */
  get issued(): string[] {
    return this.requests.flatMap((r) => (r.issued ? [r.issued] : []));
  }

  private token(host: string, path: string, text: string, contentType: string): { status: number; body: object } {
    const invalid = (description: string) => ({ status: 400, body: { error: 'invalid_grant', error_description: description } });
    if (!contentType.startsWith('application/x-www-form-urlencoded')) return { status: 400, body: { error: 'invalid_request', error_description: 'Invalid content type' } };
    const form = new URLSearchParams(text);
    if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer') return { status: 400, body: { error: 'unsupported_grant_type', error_description: 'Invalid grant_type' } };
    const parts = (form.get('assertion') ?? '').split('.');
    if (parts.length !== 3) return invalid('Invalid JWT: Token must be a short-lived token and in a reasonable timeframe');
    const decode = (s: string) => JSON.parse(Buffer.from(s, 'base64url').toString('utf8'));
    const header = decode(parts[0]) as TokenRequest['header'];
    const claims = decode(parts[1]) as AssertionClaims;
    const record: TokenRequest = { host, path, header, claims, issued: null };
    this.requests.push(record);
    const key = this.accounts.get(claims.iss);
    if (header.alg !== 'RS256' || !key) return invalid('Invalid JWT Signature.');
    if (!verify('RSA-SHA256', Buffer.from(`${parts[0]}.${parts[1]}`), key, Buffer.from(parts[2], 'base64url'))) return invalid('Invalid JWT Signature.');
    const now = Math.floor(Date.now() / 1000);
    if (claims.exp - claims.iat > 3600 || claims.exp < now || claims.iat > now + 300) return invalid('Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe.');
    if (claims.aud !== `https://${host}${path}`) return invalid('Invalid JWT: Failed audience check.');
    if (this.refuse) return invalid('Invalid grant: account not found');
    record.issued = `ya29.minted-${++this.issuedCount}`;
    return { status: 200, body: { access_token: record.issued, expires_in: 3599, token_type: 'Bearer' } };
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await Promise.all([new Promise((r) => this.tls.close(r)), new Promise((r) => this.proxy.close(r))]);
  }
}
