import type { ApiKeyPrincipal, ApiKeyScope } from '../access/api-key';

export interface NewApiKey {
  id: string;
  name: string;
  prefix: string;
  /** The secret's last four characters, to tell keys apart in a listing. */
  lastFour: string;
  hash: string;
  scopes: ApiKeyScope[];
  /** Null: never expires. */
  expiresAt: Date | null;
}

/** A key as listed: never its secret or hash. */
export interface ApiKeyRecord {
  id: string;
  name: string;
  scopes: ApiKeyScope[];
  prefix: string;
  /** Null for keys created before last-four characters were kept. */
  lastFour: string | null;
  createdAt: Date;
  expiresAt: Date | null;
  revokedAt: Date | null;
}

/** A key that is not revoked, found by its secret's hash; the caller checks the expiry. */
export interface UnrevokedApiKey {
  principal: ApiKeyPrincipal;
  expiresAt: Date | null;
}

export abstract class ApiKeyStore {
  /** Stores the key; answers when it was created. */
  abstract create(key: NewApiKey): Promise<Date>;
  /** Inserts the key unless one with the same hash exists (seeding from configuration). */
  abstract ensure(key: NewApiKey): Promise<void>;
  abstract findUnrevokedByHash(hash: string): Promise<UnrevokedApiKey | null>;
  /** Every key, newest first. */
  abstract list(): Promise<ApiKeyRecord[]>;
  /** Revokes the key (once: a revoked key keeps its first revocation time); null for an unknown id. */
  abstract revoke(id: string): Promise<ApiKeyRecord | null>;
}
