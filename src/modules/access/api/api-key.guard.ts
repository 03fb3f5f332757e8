import { HttpException, HttpStatus, Injectable, UnauthorizedException, ForbiddenException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { hasScope, type ApiKeyPrincipal, type ApiKeyScope } from '../../../domain/access/api-key';
import { AuthenticateApiKey } from '../application/authenticate-api-key.use-case';
import { PUBLIC_ROUTE, REQUIRED_SCOPE } from './auth.decorators';
import { clientAddress } from './client-address';

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
    const outcome = await this.authenticate.execute(match[1], clientAddress(request));
    if (outcome.kind === 'throttled') {
      const seconds = Math.max(1, Math.ceil(outcome.retryAfterMs / 1000));
      context.switchToHttp().getResponse<Response>().setHeader('Retry-After', String(seconds));
      throw new HttpException(
        { code: 'rate_limited', message: `Too many unknown or revoked API keys from this address; retry after ${seconds} s` },
        HttpStatus.TOO_MANY_REQUESTS,
      );
    }
    if (outcome.kind === 'expired') throw new UnauthorizedException({ code: 'api_key_expired', message: 'The API key has expired; create a new one' });
    if (outcome.kind === 'rejected') throw new UnauthorizedException({ code: 'unauthenticated', message: 'The API key is unknown or revoked' });
    const principal = outcome.principal;
    request.principal = principal;
    const scope = this.reflector.getAllAndOverride<ApiKeyScope | undefined>(REQUIRED_SCOPE, targets);
    if (scope && !hasScope(principal, scope)) {
      throw new ForbiddenException({ code: 'insufficient_scope', message: `This API key lacks the "${scope}" scope` });
    }
    return true;
  }
}
