import { Injectable, type ExecutionContext } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { AuthenticatedRequest } from './api-key.guard';
import { clientAddress } from './client-address';

/**
 * RATE_LIMIT_PER_MINUTE per API key (per client address on public routes), across all routes: the key is the
 * tracker alone, where the library's default key also names the controller and handler (a limit per route).
 * A user token counts against its user (INBOX_REQUESTS_PER_MINUTE, `throttlerLimit` in every-role.module.ts),
 * whichever token of that user and whichever page sends it. Runs after ApiKeyGuard, which sets who is calling.
 */
@Injectable()
export class ApiKeyThrottlerGuard extends ThrottlerGuard {
  protected override async getTracker(req: Record<string, any>): Promise<string> {
    const request = req as AuthenticatedRequest;
    if (request.inboxUser) return `user:${request.inboxUser.userId}`;
    return request.principal ? `key:${request.principal.id}` : `ip:${clientAddress(request)}`;
  }

  protected override generateKey(_context: ExecutionContext, tracker: string, throttlerName: string): string {
    return `requests:${throttlerName}:${tracker}`;
  }
}

/** Whether the request was let in by a user token: its budget is the user's, not an API key's. */
export function isUserTokenRequest(context: ExecutionContext): boolean {
  return Boolean(context.switchToHttp().getRequest<AuthenticatedRequest>().inboxUser);
}
