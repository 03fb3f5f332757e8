import { Injectable } from '@nestjs/common';
import { isApiKeyScope, type ApiKeyScope } from '../../../domain/access/api-key';
import { UnknownScopeError, ValidationFailedError } from '../../../domain/errors/domain-errors';
import { newId } from '../../../domain/notification/ids';
import { ApiKeyStore, type ApiKeyRecord } from '../../../domain/ports/api-key-store.port';
import { AuditLog } from '../../../domain/ports/audit-log.port';
import { displayPrefix, generateApiKeySecret, hashApiKey, lastFour } from './api-key-secret';

export interface CreateApiKeyInput {
  name: string;
  scopes: string[];
  /** A caller-chosen secret (deployment seeding); otherwise one is generated. */
  secret?: string;
  /** Seeding is repeatable: an existing key with the same secret is kept as it is. */
  ifAbsent?: boolean;
  /** After this time the key is refused (401 api_key_expired); it must be in the future. */
  expiresAt?: Date;
  /** The API key that asks, for the audit log; null (the default) for the CLI and seeding. */
  actorKeyId?: string | null;
}

export interface CreatedApiKey extends ApiKeyRecord {
  /** Shown once; only its hash is stored. */
  secret: string;
}

@Injectable()
export class CreateApiKey {
  constructor(
    private readonly store: ApiKeyStore,
    private readonly audit: AuditLog,
  ) {}

  async execute(input: CreateApiKeyInput): Promise<CreatedApiKey> {
    const unknown = input.scopes.filter((s) => !isApiKeyScope(s));
    if (unknown.length) throw new UnknownScopeError(unknown);
    if (input.scopes.length === 0) throw new ValidationFailedError([{ field: 'scopes', reason: 'must name at least one scope' }]);
    if (input.expiresAt && input.expiresAt.getTime() <= Date.now()) {
      throw new ValidationFailedError([{ field: 'expiresAt', reason: 'must be in the future' }]);
    }
    const scopes = input.scopes as ApiKeyScope[];
    const secret = input.secret ?? generateApiKeySecret();
    const expiresAt = input.expiresAt ?? null;
    const key = { id: newId(), name: input.name, prefix: displayPrefix(secret), lastFour: lastFour(secret), hash: hashApiKey(secret), scopes, expiresAt };
    // Seeding is repeated at every start and is not an admin action: it is not audited.
    if (input.ifAbsent) await this.store.ensure(key);
    const createdAt = input.ifAbsent ? new Date() : await this.store.create(key);
    const created: ApiKeyRecord = { id: key.id, name: key.name, scopes, prefix: key.prefix, lastFour: key.lastFour, createdAt, expiresAt, revokedAt: null };
    // Right after the key is stored (a separate statement): the key store and the log share no transaction.
    if (!input.ifAbsent) await this.audit.record({ keyId: input.actorKeyId ?? null, action: 'api_key.created', target: `api_key:${key.id}`, before: null, after: auditedKey(created) });
    return { ...created, secret };
  }
}

/** What the audit log keeps of a key: never the secret, only the prefix and last four that a listing shows. */
export function auditedKey(key: ApiKeyRecord): Record<string, unknown> {
  return {
    name: key.name,
    scopes: key.scopes,
    prefix: key.prefix,
    lastFour: key.lastFour,
    expiresAt: key.expiresAt?.toISOString() ?? null,
    revokedAt: key.revokedAt?.toISOString() ?? null,
  };
}
