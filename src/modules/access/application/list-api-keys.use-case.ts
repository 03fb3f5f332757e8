import { Injectable } from '@nestjs/common';
import { ApiKeyStore, type ApiKeyRecord } from '../../../domain/ports/api-key-store.port';

/** Every API key, newest first, without secrets. */
@Injectable()
export class ListApiKeys {
  constructor(private readonly store: ApiKeyStore) {}

  execute(): Promise<ApiKeyRecord[]> {
    return this.store.list();
  }
}
