import { Injectable, UnauthorizedException, ForbiddenException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { hasScope, type ApiKeyPrincipal, type ApiKeyScope } from '../../../domain/access/api-key';
import { AuthenticateApiKey } from '../application/authenticate-api-key.use-case';
import { PUBLIC_ROUTE, REQUIRED_SCOPE } from './auth.decorators';

export type AuthenticatedRequest = Request & { principal?: ApiKeyPrincipal };

/** Every route needs `Authorization: Bearer <key>` unless marked @Public(); @RequireScope narrows it further. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authenticate: AuthenticateApiKey,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
    if (!match) throw new UnauthorizedException({ code: 'unauthenticated', message: 'Send an API key as "Authorization: Bearer <key>"' });
    const principal = await this.authenticate.execute(match[1]);
    if (!principal) throw new UnauthorizedException({ code: 'unauthenticated', message: 'The API key is unknown or revoked' });
    request.principal = principal;
    const scope = this.reflector.getAllAndOverride<ApiKeyScope | undefined>(REQUIRED_SCOPE, targets);
    if (scope && !hasScope(principal, scope)) {
      throw new ForbiddenException({ code: 'insufficient_scope', message: `This API key lacks the "${scope}" scope` });
    }
    return true;
  }
}
