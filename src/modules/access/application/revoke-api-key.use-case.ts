import { Injectable } from '@nestjs/common';
import { ApiKeyNotFoundError } from '../../../domain/errors/domain-errors';
import { ApiKeyStore, type ApiKeyRecord } from '../../../domain/ports/api-key-store.port';
import { AuthenticateApiKey } from './authenticate-api-key.use-case';

/** Revokes a key for good (revoking it again changes nothing). Other processes stop accepting it within 30 s. */
@Injectable()
export class RevokeApiKey {
  constructor(
    private readonly store: ApiKeyStore,
    private readonly authenticate: AuthenticateApiKey,
  ) {}

  async execute(input: { id: string }): Promise<ApiKeyRecord> {
    const revoked = await this.store.revoke(input.id);
    if (!revoked) throw new ApiKeyNotFoundError(input.id);
    this.authenticate.forget(revoked.id);
    return revoked;
  }
}
