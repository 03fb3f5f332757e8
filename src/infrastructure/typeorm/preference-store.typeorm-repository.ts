import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { Channel } from '../../domain/notification/channel';
import { emptyPreferences, type Category, type UserPreferences } from '../../domain/preferences/preference-policy';
import type { AuditOf } from '../../domain/ports/audit-log.port';
import { PreferenceStore, type CategoryChange, type PreferencesChange } from '../../domain/ports/preference-store.port';
import { writeAuditEntry } from './audit-log.typeorm-repository';

type Row = Record<string, any>;

function toCategory(r: Row): Category {
  return { name: r.name, description: r.description, critical: r.critical, channelDefaults: r.channel_defaults };
}

/** Users' choices and opt-outs, on the pool or inside a transaction. */
async function readPreferences(db: EntityManager, userIds: string[]): Promise<Map<string, UserPreferences>> {
  const out = new Map(userIds.map((u) => [u, emptyPreferences(u)]));
  if (userIds.length === 0) return out;
  const rows: Row[] = await db.query(
    `SELECT user_id, category, channel, enabled FROM recipient_category_preferences WHERE user_id = ANY($1::text[])
     UNION ALL
     SELECT user_id, NULL, channel, false FROM recipient_channel_opt_outs WHERE user_id = ANY($1::text[])`,
    [userIds],
  );
  for (const r of rows) {
    const prefs = out.get(r.user_id)!;
    if (r.category === null) prefs.optedOutChannels.push(r.channel);
    else (prefs.categories[r.category] ??= {})[r.channel as Channel] = r.enabled;
  }
  return out;
}

@Injectable()
export class PreferenceStoreTypeormRepository extends PreferenceStore {
  constructor(@InjectDataSource() private readonly db: DataSource) {
    super();
  }

  upsertCategory(c: Category, audit?: AuditOf<CategoryChange>): Promise<Category> {
    return this.db.transaction(async (tx) => {
      // Locked until the commit: a concurrent change of the same category waits, so `previous` is what this one replaced.
      const previous: Row[] = audit ? await tx.query(`SELECT * FROM notification_categories WHERE name = $1 FOR UPDATE`, [c.name]) : [];
      const rows: Row[] = await tx.query(
        `INSERT INTO notification_categories (name, description, critical, channel_defaults) VALUES ($1, $2, $3, $4::jsonb)
         ON CONFLICT (name) DO UPDATE SET description = EXCLUDED.description, critical = EXCLUDED.critical,
           channel_defaults = EXCLUDED.channel_defaults, updated_at = now()
         RETURNING *`,
        [c.name, c.description, c.critical, JSON.stringify(c.channelDefaults)],
      );
      const declared = toCategory(rows[0]);
      const entry = audit?.({ previous: previous[0] ? toCategory(previous[0]) : null, declared });
      if (entry) await writeAuditEntry(tx, entry);
      return declared;
    });
  }

  async listCategories(): Promise<Category[]> {
    const rows: Row[] = await this.db.query(`SELECT * FROM notification_categories ORDER BY name`);
    return rows.map(toCategory);
  }

  async getCategories(names: string[]): Promise<Map<string, Category>> {
    if (names.length === 0) return new Map();
    const rows: Row[] = await this.db.query(`SELECT * FROM notification_categories WHERE name = ANY($1::text[])`, [names]);
    return new Map(rows.map((r) => [r.name as string, toCategory(r)]));
  }

  getPreferences(userIds: string[]): Promise<Map<string, UserPreferences>> {
    return readPreferences(this.db.manager, userIds);
  }

  async replacePreferences(prefs: UserPreferences, audit?: AuditOf<PreferencesChange>): Promise<void> {
    const choices = Object.entries(prefs.categories).flatMap(([category, channels]) =>
      Object.entries(channels).map(([channel, enabled]) => ({ category, channel, enabled })),
    );
    await this.db.transaction(async (tx) => {
      // Replacements of one user's choices run one after the other: two at once would each delete, then
      // both insert the same rows (a duplicate key), or leave a mix of both. The lock ends with the transaction.
      await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended('herald:preferences:' || $1, 0))`, [prefs.userId]);
      const previous = audit ? (await readPreferences(tx, [prefs.userId])).get(prefs.userId)! : null;
      await tx.query(`DELETE FROM recipient_category_preferences WHERE user_id = $1`, [prefs.userId]);
      // ON CONFLICT: the preference page and unsubscribe links write single choices without this lock.
      await tx.query(
        `INSERT INTO recipient_category_preferences (user_id, category, channel, enabled)
         SELECT $1, c.category, c.channel, c.enabled FROM jsonb_to_recordset($2::jsonb) AS c(category text, channel text, enabled boolean)
         ON CONFLICT (user_id, category, channel) DO UPDATE SET enabled = EXCLUDED.enabled, updated_at = now()`,
        [prefs.userId, JSON.stringify(choices)],
      );
      await tx.query(`DELETE FROM recipient_channel_opt_outs WHERE user_id = $1 AND NOT (channel = ANY($2::text[]))`, [prefs.userId, prefs.optedOutChannels]);
      await tx.query(
        `INSERT INTO recipient_channel_opt_outs (user_id, channel, source) SELECT $1, unnest($2::text[]), 'api' ON CONFLICT DO NOTHING`,
        [prefs.userId, prefs.optedOutChannels],
      );
      if (audit && previous) {
        const entry = audit({ previous, replaced: (await readPreferences(tx, [prefs.userId])).get(prefs.userId)! });
        if (entry) await writeAuditEntry(tx, entry);
      }
    });
  }

  async setCategoryChannel(userId: string, category: string, channel: Channel, enabled: boolean): Promise<void> {
    await this.db.query(
      `INSERT INTO recipient_category_preferences (user_id, category, channel, enabled) VALUES ($1, $2, $3, $4)
       ON CONFLICT (user_id, category, channel) DO UPDATE SET enabled = EXCLUDED.enabled, updated_at = now()`,
      [userId, category, channel, enabled],
    );
  }

  async optOutChannel(userId: string, channel: Channel, source: string): Promise<void> {
    await this.db.query(`INSERT INTO recipient_channel_opt_outs (user_id, channel, source) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [
      userId,
      channel,
      source,
    ]);
  }

  async optOutAddress(channel: Channel, address: string, source: string): Promise<void> {
    await this.db.query(`INSERT INTO address_opt_outs (channel, address, source) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [
      channel,
      address.toLowerCase(),
      source,
    ]);
  }

  async optOutPhone(phone: string, source: string): Promise<number> {
    const rows: Row[] = await this.db.query(
      `WITH address AS (
         INSERT INTO address_opt_outs (channel, address, source) VALUES ('sms', $1, $2) ON CONFLICT DO NOTHING
       ), users AS (
         INSERT INTO recipient_channel_opt_outs (user_id, channel, source)
         SELECT user_id, 'sms', $2 FROM recipients WHERE phone = $1
         ON CONFLICT DO NOTHING
       )
       SELECT count(*)::int AS n FROM recipients WHERE phone = $1`,
      [phone, source],
    );
    return rows[0].n;
  }

  async optInPhone(phone: string): Promise<number> {
    const rows: Row[] = await this.db.query(
      `WITH address AS (
         DELETE FROM address_opt_outs WHERE channel = 'sms' AND address = $1
       ), users AS (
         DELETE FROM recipient_channel_opt_outs o USING recipients r WHERE r.phone = $1 AND o.user_id = r.user_id AND o.channel = 'sms'
       )
       SELECT count(*)::int AS n FROM recipients WHERE phone = $1`,
      [phone],
    );
    return rows[0].n;
  }

  async optedOutAddresses(channel: Channel, addresses: string[]): Promise<Set<string>> {
    if (addresses.length === 0) return new Set();
    const rows: Row[] = await this.db.query(`SELECT address FROM address_opt_outs WHERE channel = $1 AND address = ANY($2::text[])`, [
      channel,
      addresses.map((a) => a.toLowerCase()),
    ]);
    return new Set(rows.map((r) => r.address as string));
  }
}
