import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Hosted pages (unsubscribe, preference page) are plain HTML styled by the console's stylesheet (served from this
 * origin under /console/assets/) with a form that posts back to itself: no script, no inline style, nothing else
 * may load, nothing may frame them (clickjacking a preference form), and their links must not leak the signed
 * token in their URL through Referer. Their icon is an empty data: URL, so that no browser asks for /favicon.ico.
 * The API's JSON answers get the same policy.
 */
export const PAGE_CSP = "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/** Local mode's mail inbox is one page on a port of its own, styled inline; it loads nothing. */
export const LOCAL_INBOX_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/**
 * The console (/console) loads its own script and style sheet and talks to this API, nothing else. Inline styles
 * are allowed for the sandboxed email preview (a srcdoc frame inherits this policy, and email HTML is styled
 * inline); inline scripts are not, anywhere.
 */
export const CONSOLE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; form-action 'none'; base-uri 'none'; frame-ancestors 'none'";

/** Swagger UI runs its own scripts and styles: it is only kept out of frames. */
const DOCS_CSP = "frame-ancestors 'none'";

export interface SecurityHeadersOptions {
  /** PUBLIC_URL: HSTS is sent when it is https (behind a TLS-terminating proxy, the public scheme is what counts). */
  publicUrl: string;
}

export function securityHeaders(options: SecurityHeadersOptions) {
  const hsts = options.publicUrl.startsWith('https:');
  return (req: IncomingMessage, res: ServerResponse, next: () => void): void => {
    const url = req.url ?? '';
    applySecurityHeaders(res, { page: /^\/docs(?:[/?#-]|$)/.test(url) ? 'docs' : /^\/console(?:[/?#]|$)/.test(url) ? 'console' : 'page', hsts });
    next();
  };
}

const POLICIES = { page: PAGE_CSP, docs: DOCS_CSP, console: CONSOLE_CSP, 'local-inbox': LOCAL_INBOX_CSP } as const;

export function applySecurityHeaders(res: ServerResponse, options: { page?: keyof typeof POLICIES; hsts?: boolean } = {}): void {
  res.setHeader('Content-Security-Policy', POLICIES[options.page ?? 'page']);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Frame-Options', 'DENY');
  if (options.hsts) res.setHeader('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
}
