import { createHmac, timingSafeEqual } from 'node:crypto';

/** What a tracking link carries: the notification, and for a click the destination. */
export interface TrackingPayload {
  n: string;
  u?: string;
}

const b64url = (b: Buffer) => b.toString('base64url');

/** `<base64url JSON>.<base64url HMAC-SHA256>`: the destination of a click cannot be changed (no open redirect). */
export function trackingToken(secret: string, payload: TrackingPayload): string {
  const body = b64url(Buffer.from(JSON.stringify(payload), 'utf8'));
  return `${body}.${b64url(createHmac('sha256', secret).update(body).digest())}`;
}

/**
 * Node's base64url decoder skips characters it does not know, accepts padding and ignores the spare bits of the
 * last character, so several spellings decode to one MAC. Only the canonical spelling is a valid link: each link
 * has exactly one form, and a changed character is always a different (refused) link.
 */
function strictBase64url(text: string): Buffer | null {
  if (!/^[A-Za-z0-9_-]+$/.test(text)) return null;
  const bytes = Buffer.from(text, 'base64url');
  return bytes.toString('base64url') === text ? bytes : null;
}

export function readTrackingToken(secret: string, token: string): TrackingPayload | null {
  const [body, mac, extra] = token.split('.');
  if (!body || !mac || extra !== undefined) return null;
  const expected = createHmac('sha256', secret).update(body).digest();
  const given = strictBase64url(mac);
  if (!given || given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  const decoded = strictBase64url(body);
  if (!decoded) return null;
  try {
    const payload = JSON.parse(decoded.toString('utf8')) as TrackingPayload;
    if (typeof payload.n !== 'string' || (payload.u !== undefined && typeof payload.u !== 'string')) return null;
    return payload;
  } catch {
    return null;
  }
}

const HREF = /(<a\b[^>]*?\bhref\s*=\s*)(["'])(https?:\/\/[^"']+)\2/gi;
const decodeHref = (u: string) => u.replace(/&amp;/g, '&');

/** The destinations `addTracking` rewrites in an HTML body: the links a click may go to. */
export function trackableLinks(html: string): Set<string> {
  return new Set(Array.from(html.matchAll(HREF), (m) => decodeHref(m[3])));
}

/**
 * Rewrites every http(s) link of an HTML email to a signed click-tracking redirect, and adds an open
 * pixel before </body> (or at the end). Other links (mailto:, anchors) are left alone.
 */
export function addTracking(html: string, options: { baseUrl: string; secret: string; notificationId: string }): string {
  const base = options.baseUrl.replace(/\/$/, '');
  const rewritten = html.replace(HREF, (_m, start: string, quote: string, url: string) => {
    const token = trackingToken(options.secret, { n: options.notificationId, u: decodeHref(url) });
    return `${start}${quote}${base}/t/c/${token}${quote}`;
  });
  const pixel = `<img src="${base}/t/o/${trackingToken(options.secret, { n: options.notificationId })}" width="1" height="1" alt="" style="display:none">`;
  return /<\/body>/i.test(rewritten) ? rewritten.replace(/<\/body>/i, `${pixel}</body>`) : `${rewritten}${pixel}`;
}
