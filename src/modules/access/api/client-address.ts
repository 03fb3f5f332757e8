import { normalizeIp } from '@nestjs/throttler';
import type { Request } from 'express';

/**
 * The address a per-client limit applies to: the peer, or the client named by trusted proxies (TRUST_PROXY).
 * IPv6 addresses count by their /64, which one client usually holds whole.
 */
export function clientAddress(request: Request): string {
  return normalizeIp(request.ip ?? request.socket.remoteAddress ?? 'unknown');
}
