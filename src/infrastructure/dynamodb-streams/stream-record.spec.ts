import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { readStreamRecord } from './stream-record';

const ARN = 'arn:aws:dynamodb:eu-west-1:123456789012:table/orders/stream/2026-01-01T00:00:00.000';

describe('readStreamRecord', () => {
  it('gives images as plain JSON: sets as lists, binary as base64, nested maps and lists as they are', () => {
    const image = {
      pk: { S: 'o-1' },
      total: { N: '12.5' },
      paid: { BOOL: true },
      note: { NULL: true },
      tags: { SS: ['a', 'b'] },
      sizes: { NS: ['1', '2'] },
      blob: { B: new Uint8Array([1, 2, 3]) },
      blobs: { BS: [new Uint8Array([255])] },
      lines: { L: [{ M: { sku: { S: 's-1' }, qty: { N: '2' } } }, { S: 'x' }] },
      address: { M: { city: { S: 'Lyon' }, parts: { L: [] } } },
    };
    const read = readStreamRecord({ eventID: 'e-1', eventName: 'INSERT', eventSourceARN: ARN, dynamodb: { SequenceNumber: '100', NewImage: image, Keys: { pk: { S: 'o-1' } } } }, ARN);
    const expected = {
      pk: 'o-1',
      total: 12.5,
      paid: true,
      note: null,
      tags: ['a', 'b'],
      sizes: [1, 2],
      blob: 'AQID',
      blobs: ['/w=='],
      lines: [{ sku: 's-1', qty: 2 }, 'x'],
      address: { city: 'Lyon', parts: [] },
    };
    expect(read.event).toEqual({ id: 'e-1', table: 'orders', eventName: 'INSERT', document: { new: expected, old: undefined, keys: { pk: 'o-1' } } });
    // Plain data only: what a JSON round trip would give, with nothing that JSON would change.
    expect(JSON.parse(JSON.stringify(read.event!.document.new))).toEqual(read.event!.document.new);
    expect(Object.getPrototypeOf((read.event!.document.new as Record<string, unknown>).tags)).toBe(Array.prototype);
  });

  it('names a record it cannot read', () => {
    expect(readStreamRecord({ eventName: 'INSERT', dynamodb: { SequenceNumber: '7' } }, ARN)).toMatchObject({ id: '7', event: null, error: 'the record has no eventID' });
  });
});

describe('readStreamRecord images', () => {
  // What the SDK's unmarshall and a JSON round trip make of an image: the form rules, templates and metadata see.
  const asJson = (image: Record<string, AttributeValue>) =>
    JSON.parse(
      JSON.stringify(unmarshall(image), (_key, v: unknown) =>
        typeof v === 'bigint' ? v.toString() : v instanceof Set ? [...(v as Set<unknown>)] : v instanceof Uint8Array ? Buffer.from(v).toString('base64') : v,
      ),
    ) as unknown;

  const images: Array<Record<string, AttributeValue>> = [
    { pk: { S: 'o-1' }, n: { N: '-0.25' }, zero: { N: '0' }, exp: { N: '1e3' } },
    { big: { N: '123456789012345678901234567890' }, negBig: { N: '-9007199254740993' }, safe: { N: '9007199254740991' } },
    { s: { SS: ['a', 'b', 'a'] }, n: { NS: ['1', '1.0', '2', '99999999999999999999'] }, empty: { L: [] }, m: { M: {} } },
    { bin: { B: new Uint8Array([0, 1, 254, 255]) }, bins: { BS: [new Uint8Array([1]), new Uint8Array([1])] } },
    { deep: { L: [{ L: [{ M: { a: { NULL: true }, b: { BOOL: false } } }] }, { N: '7' }] }, text: { S: 'line\nbreak "quoted" é' } },
  ];

  it.each(images.map((image, i) => [i, image] as const))('gives image %i as unmarshall and a JSON round trip give it', (_i, image) => {
    const read = readStreamRecord({ eventID: 'e', eventName: 'INSERT', dynamodb: { SequenceNumber: '1', NewImage: image } }, ARN);
    expect(read.error).toBeNull();
    expect(read.event!.document.new).toEqual(asJson(image));
  });

  it('reads binary values sent as base64 text (the wire, Lambda) as the SDK bytes read', () => {
    const wire = { b: { B: 'AAH+/w==' }, bs: { BS: ['AQ==', 'Ag=='] } };
    const sdk = { b: { B: new Uint8Array([0, 1, 254, 255]) }, bs: { BS: [new Uint8Array([1]), new Uint8Array([2])] } };
    const read = (image: Record<string, unknown>) => readStreamRecord({ eventID: 'e', dynamodb: { NewImage: image } }, ARN).event!.document.new;
    expect(read(wire)).toEqual(read(sdk));
    expect(read(wire)).toEqual({ b: 'AAH+/w==', bs: ['AQ==', 'Ag=='] });
  });

  it('names an attribute value it cannot read, as unmarshall does', () => {
    const odd = readStreamRecord({ eventID: 'e-9', eventName: 'INSERT', dynamodb: { SequenceNumber: '9', NewImage: { x: { Q: 'what' } }, Keys: { pk: { S: 'k' } } } }, ARN);
    expect(odd).toMatchObject({ id: 'e-9', event: null, error: 'the record cannot be unmarshalled: Unsupported type passed: Q', payload: { eventName: 'INSERT', keys: { pk: { S: 'k' } } } });
    expect(() => unmarshall({ x: { Q: 'what' } } as unknown as Record<string, AttributeValue>)).toThrow('Unsupported type passed: Q');
    const fraction = readStreamRecord({ eventID: 'e-10', dynamodb: { NewImage: { x: { N: '12345678901234567890.5' } } } }, ARN);
    expect(fraction.error).toMatch(/can't be converted to BigInt/);
  });
});
