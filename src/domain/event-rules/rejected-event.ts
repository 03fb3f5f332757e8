/** An event that matched a rule but cannot become a notification; kept with the reason, and never retried. */
export interface RejectedEvent {
  /** The stream ARN or `intake:<queue>`. */
  source: string;
  eventId: string;
  /** The rule that matched, or null when the event could not be read at all. */
  rule: string | null;
  reason: string;
  payload: unknown;
}
