import { Injectable, type ExecutionContext } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { AuthenticatedRequest } from './api-key.guard';
import { clientAddress } from './client-address';

/**
 * RATE_LIMIT_PER_MINUTE per API key (per client address on public routes), across all routes: the key is the
 * tracker alone, where the library's default key also names the controller and handler (a limit per route).
 * Runs after ApiKeyGuard, which sets the principal.
 */
@Injectable()
export class ApiKeyThrottlerGuard extends ThrottlerGuard {
  protected override async getTracker(req: Record<string, any>): Promise<string> {
    const request = req as AuthenticatedRequest;
    return request.principal ? `key:${request.principal.id}` : `ip:${clientAddress(request)}`;
  }

  protected override generateKey(_context: ExecutionContext, tracker: string, throttlerName: string): string {
    return `requests:${throttlerName}:${tracker}`;
  }
}
