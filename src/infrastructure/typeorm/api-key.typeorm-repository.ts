import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { isApiKeyScope } from '../../domain/access/api-key';
import { ApiKeyStore, type ApiKeyRecord, type NewApiKey, type UnrevokedApiKey } from '../../domain/ports/api-key-store.port';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const RECORD_COLUMNS = 'id, name, scopes, key_prefix, key_last4, created_at, expires_at, revoked_at';

@Injectable()
export class ApiKeyTypeormRepository extends ApiKeyStore {
  constructor(@InjectDataSource() private readonly db: DataSource) {
    super();
  }

  async create(key: NewApiKey): Promise<Date> {
    const rows: Array<{ created_at: Date }> = await this.db.query(
      `INSERT INTO api_keys (id, name, key_prefix, key_last4, key_hash, scopes, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING created_at`,
      paramsOf(key),
    );
    return rows[0].created_at;
  }

  async ensure(key: NewApiKey): Promise<void> {
    await this.db.query(
      `INSERT INTO api_keys (id, name, key_prefix, key_last4, key_hash, scopes, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (key_hash) DO NOTHING`,
      paramsOf(key),
    );
  }

  async findUnrevokedByHash(hash: string): Promise<UnrevokedApiKey | null> {
    const rows: Array<{ id: string; name: string; scopes: string[]; expires_at: Date | null }> = await this.db.query(
      `SELECT id, name, scopes, expires_at FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL`,
      [hash],
    );
    const row = rows[0];
    return row ? { principal: { id: row.id, name: row.name, scopes: row.scopes.filter(isApiKeyScope) }, expiresAt: row.expires_at } : null;
  }

  async list(): Promise<ApiKeyRecord[]> {
    const rows: Array<Record<string, any>> = await this.db.query(`SELECT ${RECORD_COLUMNS} FROM api_keys ORDER BY created_at DESC, id DESC`);
    return rows.map(recordOf);
  }

  async revoke(id: string): Promise<ApiKeyRecord | null> {
    if (!UUID.test(id)) return null;
    const rows: Array<Record<string, any>> = await this.db.query(
      `WITH revoked AS (UPDATE api_keys SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL RETURNING ${RECORD_COLUMNS})
       SELECT * FROM revoked UNION ALL SELECT ${RECORD_COLUMNS} FROM api_keys WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM revoked)`,
      [id],
    );
    return rows[0] ? recordOf(rows[0]) : null;
  }
}

function paramsOf(key: NewApiKey): unknown[] {
  return [key.id, key.name, key.prefix, key.lastFour, key.hash, key.scopes, key.expiresAt];
}

function recordOf(row: Record<string, any>): ApiKeyRecord {
  return {
    id: row.id,
    name: row.name,
    scopes: (row.scopes as string[]).filter(isApiKeyScope),
    prefix: row.key_prefix,
    lastFour: row.key_last4,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
  };
}
