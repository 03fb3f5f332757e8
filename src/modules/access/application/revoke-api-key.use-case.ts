import { Injectable } from '@nestjs/common';
import { ApiKeyNotFoundError } from '../../../domain/errors/domain-errors';
import { ApiKeyStore, type ApiKeyRecord } from '../../../domain/ports/api-key-store.port';
import { AuditLog } from '../../../domain/ports/audit-log.port';
import { AuthenticateApiKey } from './authenticate-api-key.use-case';
import { auditedKey } from './create-api-key.use-case';

/** Revokes a key for good (revoking it again changes nothing). Other processes stop accepting it within 30 s. */
@Injectable()
export class RevokeApiKey {
  constructor(
    private readonly store: ApiKeyStore,
    private readonly authenticate: AuthenticateApiKey,
    private readonly audit: AuditLog,
  ) {}

  async execute(input: { id: string; actorKeyId?: string | null }): Promise<ApiKeyRecord> {
    const before = (await this.store.list()).find((k) => k.id === input.id);
    const revoked = await this.store.revoke(input.id);
    if (!revoked) throw new ApiKeyNotFoundError(input.id);
    this.authenticate.forget(revoked.id);
    // Right after the revocation, and only when it changed something (revoking twice is logged once).
    if (before && !before.revokedAt) {
      await this.audit.record({ keyId: input.actorKeyId ?? null, action: 'api_key.revoked', target: `api_key:${revoked.id}`, before: auditedKey(before), after: auditedKey(revoked) });
    }
    return revoked;
  }
}
