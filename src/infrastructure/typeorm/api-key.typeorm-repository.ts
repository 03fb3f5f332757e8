import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { isApiKeyScope, type ApiKeyPrincipal } from '../../domain/access/api-key';
import { ApiKeyStore, type NewApiKey } from '../../domain/ports/api-key-store.port';

@Injectable()
export class ApiKeyTypeormRepository extends ApiKeyStore {
  constructor(@InjectDataSource() private readonly db: DataSource) {
    super();
  }

  async create(key: NewApiKey): Promise<void> {
    await this.db.query(`INSERT INTO api_keys (id, name, key_prefix, key_hash, scopes) VALUES ($1, $2, $3, $4, $5)`, [
      key.id,
      key.name,
      key.prefix,
      key.hash,
      key.scopes,
    ]);
  }

  async ensure(key: NewApiKey): Promise<void> {
    await this.db.query(
      `INSERT INTO api_keys (id, name, key_prefix, key_hash, scopes) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (key_hash) DO NOTHING`,
      [key.id, key.name, key.prefix, key.hash, key.scopes],
    );
  }

  async findActiveByHash(hash: string): Promise<ApiKeyPrincipal | null> {
    const rows: Array<{ id: string; name: string; scopes: string[] }> = await this.db.query(
      `SELECT id, name, scopes FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL`,
      [hash],
    );
    const row = rows[0];
    return row ? { id: row.id, name: row.name, scopes: row.scopes.filter(isApiKeyScope) } : null;
  }
}
