import type { ApiKeyPrincipal, ApiKeyScope } from '../access/api-key';

export interface NewApiKey {
  id: string;
  name: string;
  prefix: string;
  hash: string;
  scopes: ApiKeyScope[];
}

export abstract class ApiKeyStore {
  abstract create(key: NewApiKey): Promise<void>;
  /** Inserts the key unless one with the same hash exists (seeding from configuration). */
  abstract ensure(key: NewApiKey): Promise<void>;
  abstract findActiveByHash(hash: string): Promise<ApiKeyPrincipal | null>;
}
