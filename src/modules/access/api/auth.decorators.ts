import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiExtension, ApiExtraModels, ApiForbiddenResponse, ApiNotFoundResponse, ApiTooManyRequestsResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import type { ApiKeyScope } from '../../../domain/access/api-key';
import { ERROR_RESPONSE_CONTENT, ErrorResponseDto } from '../../../infrastructure/http/error-response.dto';
import { USER_TOKEN_SECURITY } from '../../../infrastructure/http/swagger';

export const PUBLIC_ROUTE = 'herald:public';
export const REQUIRED_SCOPE = 'herald:scope';
export const USER_TOKEN_ROUTE = 'herald:user-token';
/** The OpenAPI extension naming what an operation needs: an API key scope, or `public`. */
export const SCOPE_EXTENSION = 'x-herald-scope';

/** The 429 of the per-key (per-address on public routes) request budget and of the unknown-key limit. */
const RateLimitedResponse = () =>
  ApiTooManyRequestsResponse({
    content: ERROR_RESPONSE_CONTENT,
    description: '`rate_limited`: the key (or, without a key, the address) used its budget of requests per minute, or this address sent too many unknown keys.',
    headers: { 'Retry-After': { description: 'Seconds to wait.', schema: { type: 'integer' } } },
  });

/**
 * The route needs no API key (health, docs, signed links, provider callbacks). The OpenAPI operation says
 * `x-herald-scope: public`, and the 429 of the per-address request budget unless `throttled: false` (probes and
 * scrapes), which also takes the route out of that budget: the document and the throttler read the same choice.
 */
export const Public = (options: { throttled: boolean } = { throttled: true }) =>
  applyDecorators(
    SetMetadata(PUBLIC_ROUTE, true),
    ApiExtension(SCOPE_EXTENSION, 'public'),
    ...(options.throttled ? [ApiExtraModels(ErrorResponseDto), RateLimitedResponse()] : [SkipThrottle()]),
  );

/**
 * The route needs an API key holding this scope (or admin). The same decorator writes what the guard reads and
 * what the OpenAPI operation says (`x-herald-scope`, the bearer scheme and the 401, 403 and 429 answers), so the
 * two cannot drift. On a controller class it applies to every route of the class.
 */
export const RequireScope = (scope: ApiKeyScope) =>
  applyDecorators(
    SetMetadata(REQUIRED_SCOPE, scope),
    ApiExtension(SCOPE_EXTENSION, scope),
    ...keyedRoute(),
    ApiForbiddenResponse({ content: ERROR_RESPONSE_CONTENT, description: `\`insufficient_scope\`: the API key lacks the \`${scope}\` scope.` }),
  );

/**
 * The route needs an API key, whatever its scopes (a key asking what it may do). The OpenAPI operation says
 * `x-herald-scope: any`.
 */
export const RequireAnyKey = () => applyDecorators(ApiExtension(SCOPE_EXTENSION, 'any'), ...keyedRoute());

function keyedRoute() {
  return [
    ApiBearerAuth(),
    // As JSON whatever the route produces otherwise (an event stream, a page): the guard answers before the route.
    ApiExtraModels(ErrorResponseDto),
    ApiUnauthorizedResponse({ content: ERROR_RESPONSE_CONTENT, description: '`unauthenticated`: no API key, or an unknown or revoked one.' }),
    RateLimitedResponse(),
  ];
}

/**
 * The route takes a user token (`Authorization: Bearer hut1.…`, docs/inbox.md) and acts for the user it names;
 * API keys are refused. The OpenAPI operation says `x-herald-scope: user`, the user-token scheme and its answers.
 */
export const RequireUserToken = () =>
  applyDecorators(
    SetMetadata(USER_TOKEN_ROUTE, true),
    ApiExtension(SCOPE_EXTENSION, 'user'),
    ApiBearerAuth(USER_TOKEN_SECURITY),
    ApiExtraModels(ErrorResponseDto),
    ApiUnauthorizedResponse({
      content: ERROR_RESPONSE_CONTENT,
      description:
        '`unauthenticated`: no user token, or a malformed or tampered one (or one signed with another secret, or living longer than 24 h); ' +
        '`user_token_expired`; `user_token_required`: an API key was sent.',
    }),
    ApiNotFoundResponse({ content: ERROR_RESPONSE_CONTENT, description: '`inbox_tokens_disabled`: INBOX_TOKEN_SECRET is not set on this Herald.' }),
    ApiTooManyRequestsResponse({
      content: ERROR_RESPONSE_CONTENT,
      description: '`rate_limited`: the user used its budget of requests per minute (INBOX_REQUESTS_PER_MINUTE).',
      headers: { 'Retry-After': { description: 'Seconds to wait.', schema: { type: 'integer' } } },
    }),
  );
