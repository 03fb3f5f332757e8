import { randomBytes } from 'node:crypto';
import { DataDecryptionError, FieldCipher, parseDataEncryptionKeys } from './field-cipher';

const k1 = randomBytes(32);
const k2 = randomBytes(32);
const url = 'https://hooks.slack.com/services/T0001/B0001/s3cr3tWebhookPart';

describe('field cipher (AES-256-GCM, key id carried with each value)', () => {
  const cipher = new FieldCipher({ keys: { k1 }, activeKeyId: 'k1' });

  it('seals under the active key with a fresh IV, and opens again', () => {
    const a = cipher.seal(url, 'u-1');
    const b = cipher.seal(url, 'u-1');
    expect(a).toMatch(/^enc:v1:k1:[A-Za-z0-9_-]{16}:[A-Za-z0-9_-]{22}:[A-Za-z0-9_-]+$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain('s3cr3t');
    expect(cipher.open(a, 'u-1')).toBe(url);
    expect(FieldCipher.keyIdOf(a)).toBe('k1');
  });

  it('refuses a value altered anywhere, or moved to another record', () => {
    const sealed = cipher.seal(url, 'u-1');
    const [, , keyId, iv, tag, ct] = sealed.split(':');
    const flip = (s: string) => (s[0] === 'A' ? 'B' : 'A') + s.slice(1);
    for (const tampered of [`enc:v1:${keyId}:${flip(iv)}:${tag}:${ct}`, `enc:v1:${keyId}:${iv}:${flip(tag)}:${ct}`, `enc:v1:${keyId}:${iv}:${tag}:${flip(ct)}`, `enc:v1:${keyId}:${iv}:${tag}`]) {
      expect(() => cipher.open(tampered, 'u-1')).toThrow(DataDecryptionError);
    }
    expect(() => cipher.open(sealed, 'u-2')).toThrow(/does not authenticate/);
  });

  it('opens with the key the value names after rotation, and says which values are stale', () => {
    const old = cipher.seal(url, 'u-1');
    const rotated = new FieldCipher({ keys: { k1, k2 }, activeKeyId: 'k2' });
    expect(rotated.open(old, 'u-1')).toBe(url);
    expect(rotated.isStale(old)).toBe(true);
    expect(rotated.isStale(rotated.seal(url, 'u-1'))).toBe(false);
    expect(rotated.isStale(url)).toBe(true);
    expect(() => new FieldCipher({ keys: { k2 }, activeKeyId: 'k2' }).open(old, 'u-1')).toThrow('sealed under data key "k1", which DATA_ENCRYPTION_KEYS does not hold');
  });

  it('passes plaintext stored before encryption through, and stores plaintext when no key is configured', () => {
    expect(cipher.open(url, 'u-1')).toBe(url);
    const none = new FieldCipher({ keys: {}, activeKeyId: null });
    expect(none.seal(url, 'u-1')).toBe(url);
    expect(none.isStale(url)).toBe(false);
  });

  it('reads the key settings, naming what is wrong but never a key', () => {
    const problems: string[] = [];
    const b64 = (b: Buffer) => b.toString('base64');
    expect(parseDataEncryptionKeys(`k1:${b64(k1)}`, '', problems)).toEqual({ keys: { k1 }, activeKeyId: 'k1' });
    expect(parseDataEncryptionKeys(`k1:${b64(k1)}, k2:${b64(k2)}`, 'k2', problems).activeKeyId).toBe('k2');
    expect(problems).toEqual([]);
    parseDataEncryptionKeys(`k1:${b64(k1)},k2:${b64(k2)}`, '', problems);
    parseDataEncryptionKeys(`k1:${b64(randomBytes(16))}`, '', problems);
    parseDataEncryptionKeys(`${b64(k1)}`, '', problems);
    parseDataEncryptionKeys(`k1:${b64(k1)}`, 'k9', problems);
    expect(problems).toEqual([
      'DATA_ENCRYPTION_ACTIVE_KEY is required when DATA_ENCRYPTION_KEYS holds more than one key',
      'DATA_ENCRYPTION_KEYS: key "k1" must be 32 bytes, base64-encoded (openssl rand -base64 32)',
      'DATA_ENCRYPTION_KEYS: entry 1 must be <key id>:<base64 key>, the id made of A-Z a-z 0-9 _ - (up to 32)',
      'DATA_ENCRYPTION_ACTIVE_KEY: "k9" is not a key id in DATA_ENCRYPTION_KEYS',
    ]);
    expect(problems.join()).not.toContain(b64(k1));
  });
});
