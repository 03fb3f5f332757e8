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
