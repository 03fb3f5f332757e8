import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { BrokenCircuitError, CircuitState, ConsecutiveBreaker, circuitBreaker, handleWhenResult, type CircuitBreakerPolicy } from 'cockatiel';
import type { Channel } from '../../../domain/notification/channel';
import { isProviderFailure, type SendResult } from '../../../domain/notification/send-result';
import { routeAcross, type ProviderAnswer, type RouteOutcome } from '../../../domain/routing/provider-routing';
import { TokenBucket } from '../../../domain/routing/token-bucket';
import type { BreakerReport } from '../../../domain/ports/breaker-registry.port';
import { DeliveryMetrics, type BreakerState } from '../../../domain/ports/delivery-metrics.port';
import { providersByChannel } from '../../../infrastructure/config/channel-config';
import { HeraldConfig } from '../../../infrastructure/config/herald-config';
import { workerChannels } from '../../../infrastructure/config/roles';

interface Guard {
  channel: Channel;
  breaker: CircuitBreakerPolicy;
  bucket: TokenBucket | null;
  /** When the circuit last opened (ms since epoch): a skipped send waits for the trial call after it. */
  openedAt: number;
  /** The breaker's state, and since when (ms since epoch): what this process reports to the breaker registry. */
  state: BreakerState;
  since: number;
}

/**
 * Wires the routing policy to a circuit breaker and a token bucket per provider (per process). A provider's
 * circuit opens after PROVIDER_BREAKER_THRESHOLD consecutive transient failures and lets one trial call through
 * after PROVIDER_BREAKER_COOLDOWN; while it is open the next provider of the channel is used. Every state change is
 * reported to DeliveryMetrics, and at start each provider of the channels this process works reports `closed`, so
 * that the gauge exists before the first failure. The same changes are announced to `onBreakerChange` listeners
 * (BreakerStateReporter writes them to the breaker registry, off the send path).
 */
@Injectable()
export class ProviderRouter implements OnApplicationBootstrap {
  private readonly logger = new Logger('ProviderRouter');
  private readonly guards = new Map<string, Guard>();
  private readonly listeners: Array<() => void> = [];

  constructor(
    private readonly config: HeraldConfig,
    private readonly metrics: DeliveryMetrics,
  ) {}

  onApplicationBootstrap(): void {
    const configured = providersByChannel(this.config.channels);
    for (const channel of workerChannels(this.config.roles)) for (const name of configured[channel]) this.guardOf(channel, name);
  }

  /** The breaker of every provider this process has used or was configured to use, with its state. */
  breakerStates(): BreakerReport[] {
    return [...this.guards].map(([provider, g]) => ({ channel: g.channel, provider, state: g.state, since: new Date(g.since) }));
  }

  /** Called (synchronously, so it must be cheap) after a breaker changes state or a new one is created. */
  onBreakerChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  /** Sends through `providers` of `channel` in order, failing over per the routing policy. */
  route<P extends { name: string }>(channel: Channel, providers: readonly P[], send: (provider: P) => Promise<SendResult>): Promise<RouteOutcome> {
    const byName = new Map(providers.map((p) => [p.name, p]));
    return routeAcross([...byName.keys()], (name) => this.call(channel, name, () => send(byName.get(name)!)));
  }

  /** One provider through its guard, for channels where the destination decides the provider (no fail-over). */
  async single<P extends { name: string }>(channel: Channel, provider: P, send: (provider: P) => Promise<SendResult>): Promise<RouteOutcome> {
    return routeAcross([provider.name], () => this.call(channel, provider.name, () => send(provider)));
  }

  private async call(channel: Channel, name: string, send: () => Promise<SendResult>): Promise<ProviderAnswer> {
    const guard = this.guardOf(channel, name);
    if (guard.bucket) {
      const waited = await this.waitForToken(guard.bucket);
      if (waited !== 0) return { kind: 'skipped', reason: 'rate_limited', retryAfterMs: waited };
    }
    try {
      const result = await guard.breaker.execute(send);
      return { kind: 'answered', result };
    } catch (err) {
      if (err instanceof BrokenCircuitError) return { kind: 'skipped', reason: 'circuit_open', retryAfterMs: this.untilTrial(guard) };
      // An adapter that throws has broken its contract; the request may have gone out, so do not guess.
      return { kind: 'answered', result: { outcome: 'unknown', code: 'adapter_error', message: (err as Error).message } };
    }
  }

  /**
   * How long until the open circuit lets its trial call through, so that a skipped send is not back before it can
   * be made. While the trial is in flight (half-open) the wait is a short one, up to one cool-down.
   */
  private untilTrial(guard: Guard): number {
    const cooldownMs = this.config.channels.routing.breakerCooldownMs;
    const remaining = guard.openedAt + cooldownMs - Date.now();
    return Math.max(remaining, Math.min(cooldownMs, 1_000));
  }

  /** Waits for a token while one comes within the configured limit; returns 0 when taken, otherwise how long until one would be. */
  private async waitForToken(bucket: TokenBucket): Promise<number> {
    const deadline = Date.now() + this.config.channels.routing.rateLimitMaxWaitMs;
    for (;;) {
      const wait = bucket.take();
      if (wait === 0) return 0;
      if (Date.now() + wait > deadline) return wait;
      await new Promise((r) => setTimeout(r, wait));
    }
  }

  private guardOf(channel: Channel, name: string): Guard {
    const known = this.guards.get(name);
    if (known) return known;
    const { breakerThreshold, breakerCooldownMs, rateLimits } = this.config.channels.routing;
    const limit = rateLimits[name];
    const guard: Guard = {
      channel,
      breaker: circuitBreaker(
        handleWhenResult((r) => isProviderFailure(r as SendResult)),
        { halfOpenAfter: breakerCooldownMs, breaker: new ConsecutiveBreaker(breakerThreshold) },
      ),
      bucket: limit ? new TokenBucket(limit) : null,
      openedAt: 0,
      state: 'closed',
      since: Date.now(),
    };
    guard.breaker.onBreak(() => {
      guard.openedAt = Date.now();
      this.logger.warn({ msg: 'provider circuit opened', provider: name, cooldownMs: breakerCooldownMs });
    });
    guard.breaker.onReset(() => this.logger.log({ msg: 'provider circuit closed', provider: name }));
    guard.breaker.onStateChange((state) => {
      guard.state = breakerState(state);
      guard.since = Date.now();
      this.metrics.breakerState(channel, name, guard.state);
      this.announce();
    });
    this.guards.set(name, guard);
    this.metrics.breakerState(channel, name, 'closed');
    this.announce();
    return guard;
  }

  private announce(): void {
    for (const listener of this.listeners) listener();
  }
}

function breakerState(state: CircuitState): BreakerState {
  switch (state) {
    case CircuitState.Closed:
      return 'closed';
    case CircuitState.HalfOpen:
      return 'half_open';
    // Isolated is held open by hand; Herald never isolates, but it would refuse calls just the same.
    case CircuitState.Open:
    case CircuitState.Isolated:
      return 'open';
  }
}
