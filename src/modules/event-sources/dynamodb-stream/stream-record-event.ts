import type { ReadStreamRecord } from '../../../infrastructure/dynamodb-streams/stream-record';
import type { IncomingEvent } from '../application/ingest-events.use-case';

/** A stream record for the rules, or, when it could not be read, an event to reject with the reason. */
export function incomingOf(record: ReadStreamRecord): IncomingEvent {
  return record.event
    ? { kind: 'event', event: record.event, payload: record.payload }
    : { kind: 'unreadable', id: record.id, reason: record.error ?? 'unreadable record', payload: record.payload };
}
