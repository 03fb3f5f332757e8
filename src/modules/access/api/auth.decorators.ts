import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import type { ApiKeyScope } from '../../../domain/access/api-key';

export const PUBLIC_ROUTE = 'herald:public';
export const REQUIRED_SCOPE = 'herald:scope';

/** The route needs no API key (health, docs). */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);
/**
 * The route needs an API key holding this scope (or admin). The OpenAPI operation names it as
 * `x-required-scope` (put it on each method: the document reads extensions from methods only).
 */
export const RequireScope = (scope: ApiKeyScope) => applyDecorators(SetMetadata(REQUIRED_SCOPE, scope), ApiExtension('x-required-scope', scope));
