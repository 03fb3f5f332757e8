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

/**
 * Unmarshalls a stream record into the document rules look at: `{ new, old, keys }`. Takes images as the wire
 * gives them (GetRecords read as plain JSON, or Lambda: binary as base64 text, times as epoch seconds) and as the
 * SDK's deserializer gives them (binary as bytes, times as dates).
 */
export function readStreamRecord(record: RawStreamRecord, streamArn: string): ReadStreamRecord {
  const id = record.eventID ?? record.dynamodb?.SequenceNumber ?? 'unknown';
  const created = record.dynamodb?.ApproximateCreationDateTime;
  // The SDK gives a Date, Lambda and the wire epoch seconds.
  const createdAt = created === undefined ? null : created instanceof Date ? created : new Date(created * 1000);
  const sequenceNumber = record.dynamodb?.SequenceNumber ?? null;
  if (!record.eventID) return { id, sequenceNumber, createdAt, event: null, error: 'the record has no eventID', payload: fallbackOf(record) };
  try {
    const stream = record.dynamodb;
    const document = { new: imageOf(stream?.NewImage), old: imageOf(stream?.OldImage), keys: imageOf(stream?.Keys) };
    const event: SourceEvent = { id, table: tableOfStream(record.eventSourceARN ?? streamArn), eventName: record.eventName, document };
    return { id, sequenceNumber, createdAt, event, error: null, payload: { eventName: record.eventName, ...document } };
  } catch (err) {
    return { id, sequenceNumber, createdAt, event: null, error: `the record cannot be unmarshalled: ${(err as Error).message}`, payload: fallbackOf(record) };
  }
}

function fallbackOf(record: RawStreamRecord): unknown {
  return { eventName: record.eventName, keys: record.dynamodb?.Keys };
}

/**
 * An image as plain JSON, in one walk: what `unmarshall` (numbers as numbers, big integers as BigInt, sets as Sets)
 * followed by a JSON round trip gives: sets become lists, binary values base64, big integers strings, and values
 * that JSON has no form for (not finite numbers) null. A value `unmarshall` refuses is refused with its message.
 */
function imageOf(image: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  return image ? mapOf(image) : undefined;
}

function mapOf(map: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key in map) {
    if (!Object.prototype.hasOwnProperty.call(map, key)) continue;
    const value = map[key];
    // A `__proto__` key would set the object's prototype rather than add a field: JSON keeps no such field either.
    if (value !== undefined && key !== '__proto__') out[key] = attributeOf(value as Record<string, unknown>);
  }
  return out;
}

function attributeOf(data: Record<string, unknown>): unknown {
  // As unmarshall reads an attribute value: its first defined member names its type.
  for (const type in data) {
    const value = data[type];
    if (value === undefined) continue;
    switch (type) {
      case 'S':
        return typeof value === 'string' ? value : plainValue(value);
      case 'N':
        return numberOf(value as string);
      case 'BOOL':
        return Boolean(value);
      case 'NULL':
        return null;
      case 'M':
        return mapOf(value as Record<string, unknown>);
      case 'L': {
        const list = value as Array<Record<string, unknown>>;
        const out = new Array<unknown>(list.length);
        for (let i = 0; i < list.length; i++) out[i] = attributeOf(list[i]);
        return out;
      }
      case 'B':
        return binaryOf(value);
      // Sets, as unmarshall gives them (a Set drops repeated members), then as lists.
      case 'SS':
        return Array.from(new Set(value as unknown[]), plainValue);
      case 'NS':
        return Array.from(new Set((value as string[]).map(numberOf)));
      case 'BS':
        return Array.from(new Set(value as unknown[]), binaryOf);
      default:
        throw new Error(`Unsupported type passed: ${type}`);
    }
  }
  throw new Error(`No value defined: ${JSON.stringify(data)}`);
}

function numberOf(text: string): number | string | null {
  const n = Number(text);
  if (n > Number.MAX_SAFE_INTEGER || n < Number.MIN_SAFE_INTEGER) {
    if (!Number.isFinite(n)) return null;
    // unmarshall gives a BigInt, so an integer only; JSON gives its digits.
    try {
      return BigInt(text).toString();
    } catch {
      throw new Error(`${text} can't be converted to BigInt. Set options.wrapNumbers to get string value.`);
    }
  }
  return Number.isNaN(n) ? null : n;
}

function binaryOf(value: unknown): unknown {
  return typeof value === 'string' ? value : plainValue(value);
}

/** Any other value as a JSON round trip gives it (what the members of an odd attribute value become). */
function plainValue(v: unknown): unknown {
  if (v === null || typeof v !== 'object') {
    if (typeof v === 'bigint') return v.toString();
    if (typeof v === 'number' && !Number.isFinite(v)) return null;
    return v;
  }
  if (v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64');
  if (v instanceof Set) return [...(v as Set<unknown>)].map((x) => (x === undefined ? null : plainValue(x)));
  if (Array.isArray(v)) return v.map((x) => (x === undefined ? null : plainValue(x)));
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(v)) {
    const x = (v as Record<string, unknown>)[key];
    if (x !== undefined) out[key] = plainValue(x);
  }
  return out;
}
