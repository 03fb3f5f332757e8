import { SetMetadata } from '@nestjs/common';
import type { ApiKeyScope } from '../../../domain/access/api-key';

export const PUBLIC_ROUTE = 'herald:public';
export const REQUIRED_SCOPE = 'herald:scope';

/** The route needs no API key (health, docs). */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);
/** The route needs an API key holding this scope (or admin). */
export const RequireScope = (scope: ApiKeyScope) => SetMetadata(REQUIRED_SCOPE, scope);
