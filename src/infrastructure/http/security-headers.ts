import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Hosted pages (unsubscribe, preference page) are plain HTML with an inline style sheet and a form that posts back
 * to itself: nothing else may load, nothing may frame them (clickjacking a preference form), and their links must
 * not leak the signed token in their URL through Referer. The API's JSON answers get the same policy.
 */
export const PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/** Swagger UI runs its own scripts and styles: it is only kept out of frames. */
const DOCS_CSP = "frame-ancestors 'none'";

export interface SecurityHeadersOptions {
  /** PUBLIC_URL: HSTS is sent when it is https (behind a TLS-terminating proxy, the public scheme is what counts). */
  publicUrl: string;
}

export function securityHeaders(options: SecurityHeadersOptions) {
  const hsts = options.publicUrl.startsWith('https:');
  return (req: IncomingMessage, res: ServerResponse, next: () => void): void => {
    applySecurityHeaders(res, { docs: /^\/docs(?:[/?#-]|$)/.test(req.url ?? ''), hsts });
    next();
  };
}

export function applySecurityHeaders(res: ServerResponse, options: { docs?: boolean; hsts?: boolean } = {}): void {
  res.setHeader('Content-Security-Policy', options.docs ? DOCS_CSP : PAGE_CSP);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Frame-Options', 'DENY');
  if (options.hsts) res.setHeader('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
}
