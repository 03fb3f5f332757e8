/**
 * A request path as the access log may show it. Paths carry personal data and capabilities: addresses
 * (`/v1/suppressions/email/ada@example.com`, a userId that is an email), phone numbers, and tracking tokens
 * (`/t/c/<token>`, which redirect and record a click for whoever has them). Those segments are replaced by a
 * placeholder; the query string is dropped (it carries signed link tokens).
 */
const TOKEN_ROUTES = /^\/t\/[co]\/[^/]+/;
const EMAIL = /@|%40/i;
/** E.164 or a bare run of digits long enough to be a phone number, possibly percent-encoded (+ is %2B). */
const PHONE = /^(?:\+|%2B)?[\d\-.() ]{7,20}$/i;

export function redactPath(originalUrl: string): string {
  const path = originalUrl.split('?')[0];
  if (TOKEN_ROUTES.test(path)) return path.replace(TOKEN_ROUTES, (m) => `${m.slice(0, 5)}[token]`);
  return path
    .split('/')
    .map((segment) => {
      let decoded = segment;
      try {
        decoded = decodeURIComponent(segment);
      } catch {
        // leave a malformed escape as it came
      }
      if (EMAIL.test(segment) || decoded.includes('@')) return '[address]';
      if (PHONE.test(segment) && /\d{7,}/.test(decoded.replace(/\D/g, ''))) return '[phone]';
      return segment;
    })
    .join('/');
}
