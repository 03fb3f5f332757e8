import type { RejectedEvent } from '../event-rules/rejected-event';

export interface RecordedRejectedEvent extends RejectedEvent {
  id: string;
  createdAt: Date;
}

/** Reading back the events that could not become notifications (they are written with their batch, by NotificationIntake). */
export abstract class RejectedEventLog {
  /** Newest first; `before` is the id of the last item of the previous page. */
  abstract list(query: { source?: string; before?: string; limit: number }): Promise<RecordedRejectedEvent[]>;
}
