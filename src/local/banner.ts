/** What local mode prints once it is up. */
export interface LocalBannerParts {
  api: string;
  inboxUrl: string | null;
  /** The in-app inbox example page, and the user signed in to it. */
  inApp: { url: string; userId: string } | null;
  apiKey: string;
  /** Where the key is kept, so that the example can read it from there instead of printing it again. */
  keyFrom: 'file' | 'env';
  notes: string[];
  putItem: string | null;
}

/** `scheme://user:password@host` → `scheme://user@host`: a terminal's scrollback is no place for a password. */
export function withoutPasswords(text: string): string {
  return text.replace(/\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]+):[^\s@/]*@/gi, '$1@');
}

/**
 * The banner: every URL a developer needs, the admin key once (the curl example reads it from where it is kept),
 * and no password of any URL.
 */
export function localBanner(parts: LocalBannerParts): string {
  const { api, inboxUrl, inApp, apiKey, keyFrom, notes, putItem } = parts;
  const keyRef = keyFrom === 'file' ? '$(cat .local/api-key)' : '$HERALD_BOOTSTRAP_API_KEY';
  const curl =
    `curl -s -X POST ${api}/v1/notifications \\\n` +
    `  -H "Authorization: Bearer ${keyRef}" -H "Content-Type: application/json" -H "Idempotency-Key: hello-1" \\\n` +
    `  -d '{"recipient":{"userId":"u-42","email":"ada@example.com"},"channels":["email"],` +
    `"content":{"email":{"subject":"Hello from Herald","text":"It works.","html":"<p>It works.</p>"}},"category":"welcome"}'`;
  return [
    '',
    'Herald is running locally (all roles in one process).',
    '',
    `  API         ${api}`,
    `  Console     ${api}/console   (sign in with the API key below)`,
    `  Swagger     ${api}/docs   (OpenAPI JSON: ${api}/docs-json)`,
    `  Health      ${api}/health/ready`,
    ...(inboxUrl ? [`  Inbox       ${inboxUrl}`] : []),
    ...(inApp ? [`  In-app      ${inApp.url}   (the <herald-inbox> example page, signed in as ${inApp.userId})`] : []),
    `  API key     ${apiKey}   (admin; ${keyFrom === 'file' ? 'kept in .local/api-key' : 'HERALD_BOOTSTRAP_API_KEY'})`,
    '',
    ...notes.map((n) => `  ${withoutPasswords(n)}`),
    '',
    'Send an email:',
    '',
    curl,
    '',
    `Then look at ${inboxUrl ?? 'your SMTP server'}, and at GET ${api}/v1/notifications/<id> for its status and attempts.`,
    ...(inApp
      ? ['', `For the in-app inbox, open ${inApp.url} and press "Send a test notification": it appears in the bell at once.`]
      : []),
    ...(putItem ? ['', 'Or put an item in the example DynamoDB table (rules: examples/stream-rules.yaml):', '', putItem] : []),
    'Stop with Ctrl+C.',
    '',
  ].join('\n');
}
