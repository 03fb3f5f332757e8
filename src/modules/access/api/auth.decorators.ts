import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiExtension, ApiExtraModels, ApiForbiddenResponse, ApiTooManyRequestsResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { ApiKeyScope } from '../../../domain/access/api-key';
import { ERROR_RESPONSE_CONTENT, ErrorResponseDto } from '../../../infrastructure/http/error-response.dto';

export const PUBLIC_ROUTE = 'herald:public';
export const REQUIRED_SCOPE = 'herald:scope';
/** The OpenAPI extension naming what an operation needs: an API key scope, or `public`. */
export const SCOPE_EXTENSION = 'x-herald-scope';

/**
 * The route needs no API key (health, docs, signed links, provider callbacks). The OpenAPI operation says
 * `x-herald-scope: public`.
 */
export const Public = () => applyDecorators(SetMetadata(PUBLIC_ROUTE, true), ApiExtension(SCOPE_EXTENSION, 'public'));

/**
 * The route needs an API key holding this scope (or admin). The same decorator writes what the guard reads and
 * what the OpenAPI operation says (`x-herald-scope`, the bearer scheme and the 401, 403 and 429 answers), so the
 * two cannot drift. On a controller class it applies to every route of the class.
 */
export const RequireScope = (scope: ApiKeyScope) =>
  applyDecorators(
    SetMetadata(REQUIRED_SCOPE, scope),
    ApiExtension(SCOPE_EXTENSION, scope),
    ApiBearerAuth(),
    // As JSON whatever the route produces otherwise (an event stream, a page): the guard answers before the route.
    ApiExtraModels(ErrorResponseDto),
    ApiUnauthorizedResponse({ content: ERROR_RESPONSE_CONTENT, description: '`unauthenticated`: no API key, or an unknown or revoked one.' }),
    ApiForbiddenResponse({ content: ERROR_RESPONSE_CONTENT, description: `\`insufficient_scope\`: the API key lacks the \`${scope}\` scope.` }),
    ApiTooManyRequestsResponse({
      content: ERROR_RESPONSE_CONTENT,
      description: '`rate_limited`: the key used its budget of requests per minute, or this address sent too many unknown keys.',
      headers: { 'Retry-After': { description: 'Seconds to wait.', schema: { type: 'integer' } } },
    }),
  );
