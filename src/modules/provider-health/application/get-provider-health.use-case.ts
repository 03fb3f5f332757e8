import { Injectable } from '@nestjs/common';
import { ValidationFailedError } from '../../../domain/errors/domain-errors';
import { CHANNELS } from '../../../domain/notification/channel';
import { BreakerRegistry } from '../../../domain/ports/breaker-registry.port';
import { ProviderAttemptStats } from '../../../domain/ports/provider-attempt-stats.port';
import { healthWindowOf, providerHealthOf, type ProviderHealth } from '../../../domain/routing/provider-health';
import { providersByChannel } from '../../../infrastructure/config/channel-config';
import { HeraldConfig } from '../../../infrastructure/config/herald-config';

export type ProviderHealthOutcome =
  | { kind: 'report'; from: Date; to: Date; windowMs: number; providers: ProviderHealth[] }
  | { kind: 'invalid'; error: ValidationFailedError };

/**
 * The health of every provider: its circuit breaker in the live worker processes (from the breaker registry the
 * workers write), and what its attempts of the window decided and how long they took (from the attempts table).
 */
@Injectable()
export class GetProviderHealth {
  constructor(
    private readonly attempts: ProviderAttemptStats,
    private readonly breakers: BreakerRegistry,
    private readonly config: HeraldConfig,
  ) {}

  async execute(input: { window?: string }): Promise<ProviderHealthOutcome> {
    const read = healthWindowOf(input.window);
    if ('issues' in read) return { kind: 'invalid', error: new ValidationFailedError(read.issues) };
    const to = new Date();
    const from = new Date(to.getTime() - read.windowMs);
    const [attempts, breakers] = await Promise.all([this.attempts.since(from), this.breakers.live()]);
    // In-app notifications go to Herald's own inbox, recorded as provider `inbox`: always there, with no breaker.
    const configured = { ...providersByChannel(this.config.channels), inapp: ['inbox'] };
    return { kind: 'report', from, to, windowMs: read.windowMs, providers: providerHealthOf({ configured, channels: CHANNELS, attempts, breakers }) };
  }
}
