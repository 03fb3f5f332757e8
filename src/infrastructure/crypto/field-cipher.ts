import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** Data keys by id, and the one new values are sealed with (null: values are stored as they are). */
export interface DataEncryptionKeys {
  keys: Record<string, Buffer>;
  activeKeyId: string | null;
}

/**
 * `enc:v1:<key id>:<iv>:<tag>:<ciphertext>` (base64url parts). The `enc:` mark keeps a sealed value apart from a
 * plaintext one: no URL starts with it, and a device token could start with `v1:`.
 */
const PREFIX = 'enc:v1:';
const IV_BYTES = 12;
const TAG_BYTES = 16;
export const KEY_ID_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;

/** A sealed value that cannot be opened: tampered with, sealed for another record, or under a key not configured. */
export class DataDecryptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DataDecryptionError';
  }
}

/**
 * AES-256-GCM for single values at rest. Each value is sealed under the active key with a fresh 96-bit IV and
 * carries its key id, so reads open it with whichever key sealed it and keys can be rotated. `context` (the
 * record's id) is authenticated with it: a value copied onto another record does not open.
 */
export class FieldCipher {
  constructor(private readonly config: DataEncryptionKeys) {}

  get activeKeyId(): string | null {
    return this.config.activeKeyId;
  }

  seal(plaintext: string, context: string): string {
    const keyId = this.config.activeKeyId;
    if (keyId === null) return plaintext;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.config.keys[keyId], iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return `${PREFIX}${keyId}:${iv.toString('base64url')}:${cipher.getAuthTag().toString('base64url')}:${ciphertext.toString('base64url')}`;
  }

  /** The plaintext of a sealed value; a value stored before encryption was configured is returned as it is. */
  open(stored: string, context: string): string {
    if (!FieldCipher.isSealed(stored)) return stored;
    const parts = stored.slice(PREFIX.length).split(':');
    if (parts.length !== 4) throw new DataDecryptionError('a sealed value is malformed');
    const [keyId, iv, tag, ciphertext] = parts;
    const key = this.config.keys[keyId];
    if (!key) throw new DataDecryptionError(`a value is sealed under data key "${keyId}", which DATA_ENCRYPTION_KEYS does not hold`);
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'), { authTagLength: TAG_BYTES });
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      throw new DataDecryptionError(`a value sealed under data key "${keyId}" does not authenticate (altered, or sealed for another record)`);
    }
  }

  /** True when the stored value is not sealed under the active key (plaintext, or an older key). */
  isStale(stored: string): boolean {
    const keyId = this.config.activeKeyId;
    if (keyId === null) return false;
    return !stored.startsWith(`${PREFIX}${keyId}:`);
  }

  static isSealed(stored: string): boolean {
    return stored.startsWith(PREFIX);
  }

  /** The key id a sealed value names, or null for plaintext. */
  static keyIdOf(stored: string): string | null {
    return FieldCipher.isSealed(stored) ? stored.slice(PREFIX.length).split(':')[0] : null;
  }
}

/**
 * Reads `DATA_ENCRYPTION_KEYS` (`<id>:<base64 32-byte key>,...`) and `DATA_ENCRYPTION_ACTIVE_KEY` (the id new
 * values are sealed with; may be left out when there is one key). Problems name the setting, never a key.
 */
export function parseDataEncryptionKeys(keysSetting: string, activeSetting: string, problems: string[]): DataEncryptionKeys {
  const keys: Record<string, Buffer> = {};
  const entries = keysSetting.split(',').map((e) => e.trim()).filter(Boolean);
  entries.forEach((entry, i) => {
    const colon = entry.indexOf(':');
    const id = colon > 0 ? entry.slice(0, colon) : '';
    const key = colon > 0 ? Buffer.from(entry.slice(colon + 1), 'base64') : Buffer.alloc(0);
    if (!KEY_ID_PATTERN.test(id)) problems.push(`DATA_ENCRYPTION_KEYS: entry ${i + 1} must be <key id>:<base64 key>, the id made of A-Z a-z 0-9 _ - (up to 32)`);
    else if (key.length !== 32) problems.push(`DATA_ENCRYPTION_KEYS: key "${id}" must be 32 bytes, base64-encoded (openssl rand -base64 32)`);
    else if (keys[id]) problems.push(`DATA_ENCRYPTION_KEYS: key "${id}" is given twice`);
    else keys[id] = key;
  });
  const ids = Object.keys(keys);
  let activeKeyId: string | null = activeSetting.trim() || null;
  if (activeKeyId && !keys[activeKeyId]) {
    problems.push(`DATA_ENCRYPTION_ACTIVE_KEY: "${activeKeyId}" is not a key id in DATA_ENCRYPTION_KEYS`);
    activeKeyId = null;
  } else if (!activeKeyId && entries.length > 1) {
    problems.push('DATA_ENCRYPTION_ACTIVE_KEY is required when DATA_ENCRYPTION_KEYS holds more than one key');
  } else if (!activeKeyId && ids.length === 1) {
    activeKeyId = ids[0];
  }
  return { keys, activeKeyId };
}
