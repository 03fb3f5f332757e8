import { existsSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { Herald } from '../../packages/sdk/src/index';
import { createInboxToken } from '../../packages/sdk/src/server';

/**
 * The in-app inbox example (examples/inbox): a stand-in for a customer's application, on its own origin. Its page
 * uses the built <herald-inbox> element; its backend mints user tokens for its one signed-in user with the SDK's
 * createInboxToken and sends test notifications with the SDK, as a real backend would.
 */
export interface InboxExampleOptions {
  /** Herald as the browser reaches it; the page's CSP allows connections there. */
  heraldUrl: string;
  /** Herald as this backend reaches it (default: heraldUrl). */
  apiUrl?: string;
  /** Sends the test notifications (notifications:write) and declares their category. */
  apiKey: string;
  /** INBOX_TOKEN_SECRET, shared with Herald. */
  tokenSecret: string;
  /** The user signed in to the example. */
  userId: string;
  /** Lifetime of the tokens it mints (default 15 minutes; the element asks for a new one before it ends). */
  tokenLifetimeSeconds?: number;
  host?: string;
  port?: number;
}

export interface InboxExample {
  url: string;
  close(): Promise<void>;
}

export const EXAMPLE_CATEGORY = 'example';

const TYPES: Record<string, string> = { html: 'text/html; charset=utf-8', js: 'text/javascript; charset=utf-8', css: 'text/css; charset=utf-8' };

/** The repository's root, from dist/src/local as from src/local. */
function repositoryRoot(from: string = __dirname): string {
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'examples'))) return dir;
  throw new Error('the repository root (with examples/) was not found');
}

export async function startInboxExample(options: InboxExampleOptions): Promise<InboxExample> {
  const root = repositoryRoot();
  const component = join(root, 'packages', 'inbox', 'dist');
  const files: Record<string, string> = {
    '/app.js': join(root, 'examples', 'inbox', 'app.js'),
    '/style.css': join(root, 'examples', 'inbox', 'style.css'),
    '/herald-inbox.js': join(component, 'browser', 'herald-inbox.js'),
    '/web-push.js': join(component, 'browser', 'web-push.js'),
    '/herald-inbox-sw.js': join(component, 'herald-inbox-sw.js'),
  };
  const heraldOrigin = new URL(options.heraldUrl).origin;
  const herald = new Herald({ apiKey: options.apiKey, baseUrl: options.apiUrl ?? options.heraldUrl, maxRetries: 0 });
  const lifetime = options.tokenLifetimeSeconds ?? 900;
  const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  const csp = [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src 'self' ${heraldOrigin}`,
    "worker-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');

  // The backend declares the category of its test notifications, so that the element's preferences list it.
  await herald.categories.put(EXAMPLE_CATEGORY, { description: 'Test notifications from the example page' });

  let sent = 0;
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://example.invalid').pathname;
    res.setHeader('Content-Security-Policy', csp);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Cache-Control', 'no-cache');
    if (req.method === 'POST' && path === '/api/inbox-token') {
      // A real backend mints the token for the user of its own session; the browser reads the answer only from
      // this origin (no CORS headers here).
      const minted = await createInboxToken({ secret: options.tokenSecret, userId: options.userId, expiresInSeconds: lifetime });
      return json(res, 200, minted);
    }
    if (req.method === 'POST' && path === '/api/send-test') {
      const body = (await readJson(req)) as { webpush?: unknown };
      const n = ++sent;
      const url = `${new URL(`http://${req.headers.host ?? 'localhost'}`).origin}/#notification-${n}`;
      const title = `Test notification ${n}`;
      const text = `Sent from the example page at ${new Date().toLocaleTimeString('en-GB')}.`;
      try {
        const accepted = await herald.notifications.send({
          recipient: { userId: options.userId },
          channels: body.webpush === true ? ['inapp', 'webpush'] : ['inapp'],
          content: { inapp: { title, body: text, actionUrl: url }, webpush: { title, body: text, url } },
          category: EXAMPLE_CATEGORY,
        });
        return json(res, 202, accepted);
      } catch (err) {
        return json(res, 502, { error: (err as Error).message });
      }
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return json(res, 405, { error: 'method not allowed' });
    if (path === '/' || path === '/index.html') {
      const page = readFileSync(join(root, 'examples', 'inbox', 'index.html'), 'utf8')
        .replaceAll('{{HERALD_URL}}', escape(options.heraldUrl.replace(/\/+$/, '')))
        .replaceAll('{{USER_ID}}', escape(options.userId));
      res.writeHead(200, { 'Content-Type': TYPES.html });
      res.end(page);
      return;
    }
    const file = files[path];
    if (!file) return json(res, 404, { error: 'not found' });
    if (!existsSync(file)) return json(res, 500, { error: `${file} is missing: build the element with npm run build:inbox` });
    res.writeHead(200, { 'Content-Type': TYPES[file.split('.').pop() ?? ''] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) json(res, 500, { error: (err as Error).message });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
  res.end(JSON.stringify(body));
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  let text = '';
  for await (const chunk of req) {
    text += chunk;
    if (text.length > 10_000) throw new Error('body too large');
  }
  try {
    return text ? JSON.parse(text) : {};
  } catch {
    return {};
  }
}
