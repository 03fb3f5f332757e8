import type { ProviderAttemptFigures } from '../routing/provider-health';

/** Figures of the recorded delivery attempts per channel and provider, computed where they are stored. */
export abstract class ProviderAttemptStats {
  /** The finished attempts started at or after `from`, counted by the provider that decided each. */
  abstract since(from: Date): Promise<ProviderAttemptFigures[]>;
}
