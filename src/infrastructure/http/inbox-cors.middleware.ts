import type { IncomingMessage, ServerResponse } from 'node:http';

/** The routes a browser calls with a user token. The token route is for your server, and gets no CORS either. */
const BROWSER_ROUTES = /^\/v1\/inbox\/(?!tokens(?:[/?#]|$))/;

export const INBOX_CORS_ALLOWED_METHODS = 'GET, POST, PUT, DELETE';
export const INBOX_CORS_ALLOWED_HEADERS = 'Authorization, Content-Type, Last-Event-ID';
/** What a page's script may read of an answer, beyond the safelisted headers: waits, limits and the id to quote. */
export const INBOX_CORS_EXPOSED_HEADERS = 'Retry-After, X-Request-Id, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset';

/**
 * CORS for the user-token routes (`/v1/inbox/*`) only, for the exact origins of INBOX_ALLOWED_ORIGINS. The token
 * travels in the Authorization header, never in a cookie, so credentials are never allowed. A preflight is
 * answered here, before authentication (it carries no token); an origin not listed gets the same answers without
 * any grant, so its browser withholds them from the page. The rest of the API sends no CORS headers at all.
 */
export function inboxCors(options: { allowedOrigins: readonly string[] }) {
  const allowed = new Set(options.allowedOrigins);
  return (req: IncomingMessage, res: ServerResponse, next: () => void): void => {
    if (!BROWSER_ROUTES.test(req.url ?? '')) return next();
    // Answers differ by origin: a shared cache must not give one origin's answer to another.
    res.setHeader('Vary', 'Origin');
    const origin = req.headers.origin;
    const granted = typeof origin === 'string' && allowed.has(origin);
    if (granted) res.setHeader('Access-Control-Allow-Origin', origin);
    if (req.method === 'OPTIONS' && typeof origin === 'string' && req.headers['access-control-request-method'] !== undefined) {
      if (granted) {
        res.setHeader('Access-Control-Allow-Methods', INBOX_CORS_ALLOWED_METHODS);
        res.setHeader('Access-Control-Allow-Headers', INBOX_CORS_ALLOWED_HEADERS);
        res.setHeader('Access-Control-Max-Age', '600');
      }
      res.statusCode = 204;
      res.end();
      return;
    }
    if (granted) res.setHeader('Access-Control-Expose-Headers', INBOX_CORS_EXPOSED_HEADERS);
    next();
  };
}
