import { randomBytes } from 'node:crypto';
import { DataDecryptionError, FieldCipher } from '../crypto/field-cipher';
import { SentContentCodec } from './sent-content.codec';

const content = { email: { subject: 'Your code', html: '<p>Code 482913</p>', text: 'Code 482913' } };
const k1 = randomBytes(32);
const k2 = randomBytes(32);

describe('content as sent, at rest', () => {
  it('is sealed whole under the active key, bound to its notification', () => {
    const codec = new SentContentCodec(new FieldCipher({ keys: { k1 }, activeKeyId: 'k1' }));
    const stored = codec.seal('n-1', content);
    expect(stored).toMatch(/^enc:v1:k1:/);
    expect(stored).not.toContain('482913');
    expect(codec.open('n-1', stored)).toEqual(content);
    expect(() => codec.open('n-2', stored)).toThrow(DataDecryptionError);
    expect(codec.isStale(stored)).toBe(false);
  });

  it('is kept as JSON without a key, read either way, and resealed under a new key', () => {
    const plain = new SentContentCodec(new FieldCipher({ keys: {}, activeKeyId: null }));
    const stored = plain.seal('n-1', content);
    expect(JSON.parse(stored)).toEqual(content);
    const rotated = new SentContentCodec(new FieldCipher({ keys: { k1, k2 }, activeKeyId: 'k2' }));
    expect(rotated.isStale(stored)).toBe(true);
    const underK1 = new SentContentCodec(new FieldCipher({ keys: { k1 }, activeKeyId: 'k1' })).seal('n-1', content);
    for (const old of [stored, underK1]) {
      const resealed = rotated.reseal('n-1', old);
      expect(resealed).toMatch(/^enc:v1:k2:/);
      expect(rotated.isStale(resealed)).toBe(false);
      expect(rotated.open('n-1', resealed)).toEqual(content);
    }
  });
});
