/**
 * Free text that may carry credentials: an error message quoting a URL with a token in its query, a URL with a
 * password, an `Authorization: Bearer` value, or the value of a configured secret. Used on what leaves the
 * process for an error tracker, where the message is the whole point and cannot be dropped like a field.
 */
const CENSOR = '[redacted]';
const QUERY_VALUE = /([?&][^=&\s#"'<>]+=)[^&\s#"'<>]+/g;
const URL_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/[^:/\s@]*:)[^@\s/]+@/gi;
const BEARER = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/g;
/** Short values would censor ordinary words; no configured secret is this short. */
const MIN_SECRET_LENGTH = 8;

export function redactText(text: string, secretValues: readonly string[] = []): string {
  let out = text;
  for (const secret of secretValues) if (secret.length >= MIN_SECRET_LENGTH && out.includes(secret)) out = out.split(secret).join(CENSOR);
  return out.replace(URL_PASSWORD, `$1${CENSOR}@`).replace(QUERY_VALUE, `$1${CENSOR}`).replace(BEARER, `$1 ${CENSOR}`);
}
