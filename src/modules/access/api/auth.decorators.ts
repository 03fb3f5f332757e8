import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiExtension, ApiExtraModels, ApiForbiddenResponse, ApiTooManyRequestsResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import type { ApiKeyScope } from '../../../domain/access/api-key';
import { ERROR_RESPONSE_CONTENT, ErrorResponseDto } from '../../../infrastructure/http/error-response.dto';

export const PUBLIC_ROUTE = 'herald:public';
export const REQUIRED_SCOPE = 'herald:scope';
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
