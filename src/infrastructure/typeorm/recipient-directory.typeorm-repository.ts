import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { DevicePlatform, DeviceToken, RecipientProfile } from '../../domain/recipient/recipient-profile';
import { RecipientDirectory } from '../../domain/ports/recipient-directory.port';
import { FieldCipher } from '../crypto/field-cipher';
import { RecipientSecretsCodec } from './recipient-secrets.codec';

type Row = Record<string, any>;

/** Chat webhook URLs and device tokens are sealed in the row (`recipient-secrets.codec.ts`) and opened on read. */
@Injectable()
export class RecipientDirectoryTypeormRepository extends RecipientDirectory {
  private readonly secrets: RecipientSecretsCodec;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    cipher: FieldCipher,
  ) {
    super();
    this.secrets = new RecipientSecretsCodec(cipher);
  }

  private toProfile(r: Row): RecipientProfile {
    const { deviceTokens, chatDestinations } = this.secrets.open(r.user_id, { deviceTokens: r.device_tokens, chatDestinations: r.chat_destinations });
    return {
      userId: r.user_id,
      email: r.email,
      phone: r.phone,
      locale: r.locale,
      timezone: r.timezone,
      deviceTokens,
      chatDestinations,
      attributes: r.attributes,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    };
  }

  async get(userId: string): Promise<RecipientProfile | null> {
    const rows: Row[] = await this.db.query(`SELECT * FROM recipients WHERE user_id = $1`, [userId]);
    return rows[0] ? this.toProfile(rows[0]) : null;
  }

  async getMany(userIds: string[]): Promise<Map<string, RecipientProfile>> {
    if (userIds.length === 0) return new Map();
    const rows: Row[] = await this.db.query(`SELECT * FROM recipients WHERE user_id = ANY($1::text[])`, [userIds]);
    return new Map(rows.map((r) => [r.user_id as string, this.toProfile(r)]));
  }

  async upsert(p: RecipientProfile): Promise<RecipientProfile> {
    const sealed = this.secrets.seal(p.userId, p);
    const rows: Row[] = await this.db.query(
      `INSERT INTO recipients (user_id, email, phone, locale, timezone, device_tokens, chat_destinations, attributes)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb, $8::jsonb)
       ON CONFLICT (user_id) DO UPDATE SET email = EXCLUDED.email, phone = EXCLUDED.phone, locale = EXCLUDED.locale,
         timezone = EXCLUDED.timezone, device_tokens = EXCLUDED.device_tokens, chat_destinations = EXCLUDED.chat_destinations,
         attributes = EXCLUDED.attributes, updated_at = now()
       RETURNING *`,
      [p.userId, p.email, p.phone, p.locale, p.timezone, JSON.stringify(sealed.deviceTokens), JSON.stringify(sealed.chatDestinations), JSON.stringify(p.attributes)],
    );
    return this.toProfile(rows[0]);
  }

  async saveDeviceToken(userId: string, token: DeviceToken, keepAtMost: number): Promise<void> {
    // Sealed tokens cannot be matched in SQL (each has its own IV): the row is locked, read, changed and written.
    await this.db.transaction(async (m) => {
      await m.query(
        `INSERT INTO recipients (user_id, device_tokens, chat_destinations, attributes) VALUES ($1, '[]'::jsonb, '[]'::jsonb, '{}'::jsonb) ON CONFLICT (user_id) DO NOTHING`,
        [userId],
      );
      const rows: Row[] = await m.query(`SELECT device_tokens FROM recipients WHERE user_id = $1 FOR UPDATE`, [userId]);
      const stored: DeviceToken[] = rows[0].device_tokens;
      const others = stored.filter((t) => !(t.platform === token.platform && this.secrets.openToken(userId, t.token) === token.token));
      const samePlatform = others.filter((t) => t.platform === token.platform);
      const dropped = new Set(samePlatform.slice(0, Math.max(0, samePlatform.length - (keepAtMost - 1))));
      const [sealed] = this.secrets.seal(userId, { deviceTokens: [token], chatDestinations: [] }).deviceTokens;
      const kept = [...others.filter((t) => !dropped.has(t)), sealed];
      await m.query(`UPDATE recipients SET device_tokens = $2::jsonb, updated_at = now() WHERE user_id = $1`, [userId, JSON.stringify(kept)]);
    });
  }

  async removeDeviceToken(userId: string, platform: DevicePlatform, token: string): Promise<void> {
    await this.removeDeviceTokenIfPresent(userId, platform, token);
  }

  async removeDeviceTokenIfPresent(userId: string, platform: DevicePlatform, token: string): Promise<boolean> {
    // Sealed tokens cannot be matched in SQL (each has its own IV): the row is locked, read, filtered and written.
    return this.db.transaction(async (m) => {
      const rows: Row[] = await m.query(`SELECT device_tokens FROM recipients WHERE user_id = $1 FOR UPDATE`, [userId]);
      const stored: DeviceToken[] | undefined = rows[0]?.device_tokens;
      if (!stored) return false;
      const kept = stored.filter((t) => !(t.platform === platform && this.secrets.openToken(userId, t.token) === token));
      if (kept.length === stored.length) return false;
      await m.query(`UPDATE recipients SET device_tokens = $2::jsonb, updated_at = now() WHERE user_id = $1`, [userId, JSON.stringify(kept)]);
      return true;
    });
  }
}
