import type { ClaimedNotification } from './claimed-notification';

/**
 * Checks made after a notification is claimed and before any provider is called (preferences,
 * quiet hours, politeness limits). A gate never drops a notification silently: it suppresses it
 * with a reason, or defers it to a later time.
 */
export type GateDecision =
  | { kind: 'proceed' }
  | { kind: 'suppress'; reason: string }
  | { kind: 'defer'; until: Date; reason: string };

export abstract class DispatchGate {
  /** Decisions for the notifications it has an opinion on; absent ones proceed. */
  abstract evaluate(notifications: ClaimedNotification[], now: Date): Promise<Map<string, GateDecision>>;
}
