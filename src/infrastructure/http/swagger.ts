import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { ERROR_RESPONSE_CONTENT } from './error-response.dto';
import { withValidationConstraints } from './openapi-constraints';
import type { OperationObject, PathItemObject } from '@nestjs/swagger';

/**
 * Every tag an operation may carry, in the order the document lists them. An operation whose tag is missing here
 * fails `npm run lint` (Spectral's operation-tag-defined).
 */
export const OPENAPI_TAGS: ReadonlyArray<{ name: string; description: string }> = [
  { name: 'notifications', description: 'Send notifications (one per recipient and channel), read their status and attempts, cancel scheduled ones.' },
  { name: 'inbox', description: "A user's in-app inbox: list, count, stream, mark read, seen or archived; from a browser with a user token (`/v1/inbox`), or with an API key." },
  { name: 'recipients', description: 'Recipient profiles: addresses, device tokens, chat destinations, locale and time zone.' },
  { name: 'preferences', description: 'Notification categories, per-user preferences, signed unsubscribe links and the hosted preference page.' },
  { name: 'templates', description: 'Versioned, localised templates and their previews.' },
  { name: 'topics', description: 'Topics, their subscribers, and fan-outs of one notification to every subscriber.' },
  { name: 'workflows', description: 'Multi-step notifications triggered by an event: define workflows (send, delay, digest, branch, throttle), trigger them, follow and cancel their runs.' },
  { name: 'dead letters', description: 'Failed notifications and dead-lettered queue messages, and redriving them.' },
  { name: 'delivery tracking', description: 'Provider delivery webhooks, open and click tracking, and the suppression list.' },
  { name: 'providers', description: 'Provider health: circuit breakers across the worker processes, and recent attempt outcomes and latency.' },
  { name: 'analytics', description: 'Delivery, open, click, unsubscribe and bounce counts and rates over a time range.' },
  { name: 'api keys', description: 'API keys: what the calling key is and may do; create (with an optional expiry), list without their secrets, revoke; the audit log of admin actions.' },
  { name: 'event sources', description: 'Events from the stream and queue sources that could not become notifications.' },
  { name: 'observability', description: 'Prometheus metrics.' },
  { name: 'health', description: 'Liveness and readiness probes.' },
];

/** The security scheme of user tokens (`hut1.…`), beside `bearer` (API keys). */
export const USER_TOKEN_SECURITY = 'userToken';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/** The sentence each operation's description ends with, from the same `x-herald-scope` the guard's decorator wrote. */
function scopeSentence(scope: unknown): string | null {
  if (scope === 'public') return 'Needs no API key.';
  if (scope === 'any') return 'Needs an API key, whatever its scopes.';
  if (scope === 'user') return "Needs a user token (`hut1.…`, from `POST /v1/inbox/tokens`) and acts for its user; API keys are refused.";
  if (scope === 'admin') return 'Needs an API key with the `admin` scope.';
  if (typeof scope === 'string') return `Needs an API key with the \`${scope}\` scope (or \`admin\`).`;
  return null;
}

function withScopeSentence(operation: OperationObject): void {
  const sentence = scopeSentence((operation as unknown as Record<string, unknown>)['x-herald-scope']);
  if (!sentence) return;
  operation.description = operation.description ? `${operation.description}\n\n${sentence}` : sentence;
}

/**
 * What the body parsers and the media-type check answer before any route runs (body-errors.middleware.ts,
 * body-media-type.ts), so every operation that takes a body may answer it.
 */
const BODY_REFUSALS: Record<string, string> = {
  '400': '`validation_failed` (`details` names each field), `malformed_json` or `malformed_body`.',
  '413': '`payload_too_large` (over HTTP_BODY_LIMIT_BYTES) or `too_many_parameters` (a form).',
  '415': '`unsupported_media_type`, `unsupported_content_encoding` or `unsupported_charset`.',
};

function withBodyRefusals(operation: OperationObject): void {
  if (!operation.requestBody) return;
  for (const [status, description] of Object.entries(BODY_REFUSALS)) {
    operation.responses[status] ??= { description, content: ERROR_RESPONSE_CONTENT };
  }
}

/** Set on every answer by request-id.ts, before any route runs. */
const REQUEST_ID_HEADER = {
  description: 'The caller\'s own X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:@-`, else a new UUID; the access log line carries it too.',
  schema: { type: 'string' },
};

function withRequestIdHeader(operation: OperationObject): void {
  for (const response of Object.values(operation.responses)) {
    if (!response || '$ref' in response) continue;
    response.headers = { 'X-Request-Id': REQUEST_ID_HEADER, ...response.headers };
  }
}

/** The OpenAPI document of this app's routes. Needs only the module graph (a preview app will do), no database. */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const builder = new DocumentBuilder()
    .setTitle('Herald')
    .setDescription(
      'Notification service: every accepted event becomes exactly one notification per recipient and channel.\n\n' +
        'Authenticate with an API key: `Authorization: Bearer <key>`. Keys carry scopes: `notifications:write`, ' +
        '`notifications:read`, `admin` (implies all); each operation names the one it needs as `x-herald-scope` ' +
        '(`public`: no key). Errors have the shape `{ "error": { "code", "message", "details"? } }`.\n\n' +
        'Every operation but the health probes and `/metrics` may answer `429` (`rate_limited`, with `Retry-After` in seconds): each key (each address, without a key) has a budget of requests per ' +
        'minute across all operations, and each client address one of unknown or revoked keys.',
    )
    .setVersion('1')
    // Relative: Swagger UI at /docs then calls the Herald that serves it, and the committed document fits every deployment.
    .addServer('/', 'The Herald serving this document (its PUBLIC_URL).')
    // Keys are opaque random strings (`hk_…`), not JWTs: no bearerFormat.
    .addSecurity('bearer', { type: 'http', scheme: 'bearer', description: 'An API key created with `npm run cli -- api-key create`.' })
    // Refused everywhere but the operations that name it; those refuse API keys.
    .addSecurity(USER_TOKEN_SECURITY, {
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'hut1',
      description: "A user token for one user's inbox (`hut1.<payload>.<signature>`), minted by `POST /v1/inbox/tokens` or the SDK's `createInboxToken`; see docs/inbox.md.",
    });
  for (const tag of OPENAPI_TAGS) builder.addTag(tag.name, tag.description);
  const document = SwaggerModule.createDocument(app, builder.build());
  withValidationConstraints(document);
  for (const item of Object.values<PathItemObject>(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      withScopeSentence(operation);
      withBodyRefusals(operation);
      withRequestIdHeader(operation);
    }
  }
  return document;
}

/** Serves the UI at /docs and the document at /docs-json. */
export function mountSwagger(app: INestApplication): void {
  SwaggerModule.setup('docs', app, () => buildOpenApiDocument(app), { jsonDocumentUrl: 'docs-json' });
}
