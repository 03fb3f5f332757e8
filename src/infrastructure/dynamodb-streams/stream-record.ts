import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { SourceEvent } from '../../domain/event-rules/mapping-rule';

/** The parts of a stream record Herald reads; both the SDK's `_Record` and Lambda's `DynamoDBRecord` fit. */
export interface RawStreamRecord {
  eventID?: string;
  eventName?: string;
  eventSourceARN?: string;
  dynamodb?: {
    SequenceNumber?: string;
    ApproximateCreationDateTime?: Date | number;
    Keys?: Record<string, unknown>;
    NewImage?: Record<string, unknown>;
    OldImage?: Record<string, unknown>;
  };
}

export interface ReadStreamRecord {
  id: string;
  sequenceNumber: string | null;
  createdAt: Date | null;
  /** The record for the rules, or why it cannot be read. */
  event: SourceEvent | null;
  error: string | null;
  payload: unknown;
}

/** `arn:aws:dynamodb:<region>:<account>:table/<name>/stream/<label>` -> `<name>`. */
export function tableOfStream(streamArn: string): string {
  const match = /:table\/([^/]+)/.exec(streamArn);
  return match ? match[1] : '';
}

/** Unmarshalls a stream record into the document rules look at: `{ new, old, keys }`. */
export function readStreamRecord(record: RawStreamRecord, streamArn: string): ReadStreamRecord {
  const id = record.eventID ?? record.dynamodb?.SequenceNumber ?? 'unknown';
  const created = record.dynamodb?.ApproximateCreationDateTime;
  // The SDK gives a Date, Lambda epoch seconds.
  const createdAt = created === undefined ? null : created instanceof Date ? created : new Date(created * 1000);
  const base = { id, sequenceNumber: record.dynamodb?.SequenceNumber ?? null, createdAt };
  const fallback = { eventName: record.eventName, keys: record.dynamodb?.Keys };
  if (!record.eventID) return { ...base, event: null, error: 'the record has no eventID', payload: fallback };
  try {
    const image = (value: Record<string, unknown> | undefined) => (value ? plain(unmarshall(value as Record<string, AttributeValue>)) : undefined);
    const document = { new: image(record.dynamodb?.NewImage), old: image(record.dynamodb?.OldImage), keys: image(record.dynamodb?.Keys) };
    const event: SourceEvent = { id, table: tableOfStream(record.eventSourceARN ?? streamArn), eventName: record.eventName, document };
    return { ...base, event, error: null, payload: { eventName: record.eventName, ...document } };
  } catch (err) {
    return { ...base, event: null, error: `the record cannot be unmarshalled: ${(err as Error).message}`, payload: fallback };
  }
}

/**
 * Sets become lists, binary values base64 and big integers strings, so that images are plain JSON (for metadata
 * and templates): what a JSON round trip of the unmarshalled image gives, built in one walk without the text.
 */
function plain(value: Record<string, unknown>): Record<string, unknown> {
  return plainValue(value) as Record<string, unknown>;
}

function plainValue(v: unknown): unknown {
  if (v === null || typeof v !== 'object') {
    if (typeof v === 'bigint') return v.toString();
    // As JSON has them: no NaN or infinity (DynamoDB numbers are finite).
    if (typeof v === 'number' && !Number.isFinite(v)) return null;
    return v;
  }
  if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
  if (v instanceof Set) return [...(v as Set<unknown>)].map((x) => (x === undefined ? null : plainValue(x)));
  if (Array.isArray(v)) return v.map((x) => (x === undefined ? null : plainValue(x)));
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(v)) {
    const x = (v as Record<string, unknown>)[key];
    if (x !== undefined) out[key] = plainValue(x);
  }
  return out;
}
