import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { DevicePlatform, RecipientProfile } from '../../domain/recipient/recipient-profile';
import { RecipientDirectory } from '../../domain/ports/recipient-directory.port';

type Row = Record<string, any>;

function toProfile(r: Row): RecipientProfile {
  return {
    userId: r.user_id,
    email: r.email,
    phone: r.phone,
    locale: r.locale,
    timezone: r.timezone,
    deviceTokens: r.device_tokens,
    chatDestinations: r.chat_destinations,
    attributes: r.attributes,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

@Injectable()
export class RecipientDirectoryTypeormRepository extends RecipientDirectory {
  constructor(@InjectDataSource() private readonly db: DataSource) {
    super();
  }

  async get(userId: string): Promise<RecipientProfile | null> {
    const rows: Row[] = await this.db.query(`SELECT * FROM recipients WHERE user_id = $1`, [userId]);
    return rows[0] ? toProfile(rows[0]) : null;
  }

  async getMany(userIds: string[]): Promise<Map<string, RecipientProfile>> {
    if (userIds.length === 0) return new Map();
    const rows: Row[] = await this.db.query(`SELECT * FROM recipients WHERE user_id = ANY($1::text[])`, [userIds]);
    return new Map(rows.map((r) => [r.user_id as string, toProfile(r)]));
  }

  async upsert(p: RecipientProfile): Promise<RecipientProfile> {
    const rows: Row[] = await this.db.query(
      `INSERT INTO recipients (user_id, email, phone, locale, timezone, device_tokens, chat_destinations, attributes)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb, $8::jsonb)
       ON CONFLICT (user_id) DO UPDATE SET email = EXCLUDED.email, phone = EXCLUDED.phone, locale = EXCLUDED.locale,
         timezone = EXCLUDED.timezone, device_tokens = EXCLUDED.device_tokens, chat_destinations = EXCLUDED.chat_destinations,
         attributes = EXCLUDED.attributes, updated_at = now()
       RETURNING *`,
      [p.userId, p.email, p.phone, p.locale, p.timezone, JSON.stringify(p.deviceTokens), JSON.stringify(p.chatDestinations), JSON.stringify(p.attributes)],
    );
    return toProfile(rows[0]);
  }

  async removeDeviceToken(userId: string, platform: DevicePlatform, token: string): Promise<void> {
    await this.db.query(
      `UPDATE recipients SET device_tokens = coalesce((
         SELECT jsonb_agg(t) FROM jsonb_array_elements(device_tokens) t WHERE NOT (t->>'token' = $3 AND t->>'platform' = $2)
       ), '[]'::jsonb), updated_at = now()
       WHERE user_id = $1`,
      [userId, platform, token],
    );
  }
}
