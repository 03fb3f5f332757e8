import { HttpException, HttpStatus, Injectable, UnauthorizedException, ForbiddenException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { hasScope, type ApiKeyPrincipal, type ApiKeyScope } from '../../../domain/access/api-key';
import { isInboxToken } from '../../../domain/access/inbox-token';
import { InboxTokensDisabledError } from '../../../domain/errors/domain-errors';
import { AuthenticateApiKey } from '../application/authenticate-api-key.use-case';
import { AuthenticateInboxToken } from '../application/authenticate-inbox-token.use-case';
import { PUBLIC_ROUTE, REQUIRED_SCOPE, USER_TOKEN_ROUTE } from './auth.decorators';
import { clientAddress } from './client-address';

/** What the guard found: an API key (`principal`) or, on user-token routes, the user a token is for (`inboxUser`). */
export type AuthenticatedRequest = Request & { principal?: ApiKeyPrincipal; inboxUser?: { userId: string; acceptedUntil: Date } };

/**
 * Every route needs `Authorization: Bearer <key>` unless marked @Public(); @RequireScope narrows it further.
 * Routes marked @RequireUserToken() take a user token instead, and refuse API keys; every other route refuses
 * user tokens, so a token handed to a browser opens that user's inbox and nothing else.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authenticate: AuthenticateApiKey,
    private readonly authenticateUser: AuthenticateInboxToken,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
    if (this.reflector.getAllAndOverride<boolean>(USER_TOKEN_ROUTE, targets)) return this.userToken(request, match?.[1]);
    if (!match) throw new UnauthorizedException({ code: 'unauthenticated', message: 'Send an API key as "Authorization: Bearer <key>"' });
    if (isInboxToken(match[1])) throw new UnauthorizedException({ code: 'unauthenticated', message: 'A user token is accepted only on /v1/inbox routes; send an API key' });
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

  private userToken(request: AuthenticatedRequest, credential: string | undefined): boolean {
    if (!credential) throw new UnauthorizedException({ code: 'unauthenticated', message: 'Send a user token as "Authorization: Bearer hut1.…"' });
    if (!isInboxToken(credential)) throw new UnauthorizedException({ code: 'user_token_required', message: 'This route takes a user token (hut1.…), not an API key' });
    const outcome = this.authenticateUser.execute(credential);
    switch (outcome.kind) {
      case 'disabled':
        throw new InboxTokensDisabledError();
      case 'expired':
        throw new UnauthorizedException({ code: 'user_token_expired', message: 'The user token has expired; get a new one from your server' });
      case 'rejected':
        throw new UnauthorizedException({ code: 'unauthenticated', message: 'The user token is malformed or its signature does not match' });
      case 'authenticated':
        request.inboxUser = { userId: outcome.userId, acceptedUntil: outcome.acceptedUntil };
        return true;
    }
  }
}
