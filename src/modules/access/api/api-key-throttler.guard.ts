import { Injectable } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { AuthenticatedRequest } from './api-key.guard';

/** Rate limits per API key (per client address for public routes). Runs after ApiKeyGuard. */
@Injectable()
export class ApiKeyThrottlerGuard extends ThrottlerGuard {
  protected override async getTracker(req: Record<string, any>): Promise<string> {
    const request = req as AuthenticatedRequest;
    return request.principal ? `key:${request.principal.id}` : `ip:${request.ip}`;
  }
}
