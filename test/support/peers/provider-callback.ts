/**
 * How a provider's callback reaches Herald in the tests: the provider posts to the URL it was given (under
 * PUBLIC_URL, e.g. https://herald.example.com/...), and `via` is the address that name leads to (as a TLS
 * proxy in front of Herald would): the request keeps the given path and query.
 */
export async function postCallback(url: string, body: { form: Record<string, string> } | { json: object }, headers: Record<string, string>, via: string): Promise<{ status: number; body: unknown }> {
  const given = new URL(url);
  const target = new URL(`${given.pathname}${given.search}`, via);
  const [contentType, payload] = 'form' in body ? ['application/x-www-form-urlencoded; charset=utf-8', new URLSearchParams(body.form).toString()] : ['application/json', JSON.stringify(body.json)];
  const res = await fetch(target, { method: 'POST', headers: { 'content-type': contentType, ...headers }, body: payload });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: kept as text
  }
  return { status: res.status, body: parsed };
}
