import type { DataSource } from 'typeorm';
import { ConfigError } from '../config/config-error';
import { FieldCipher } from '../crypto/field-cipher';
import { RecipientSecretsCodec } from './recipient-secrets.codec';

export interface ReencryptionProgress {
  examined: number;
  rewritten: number;
  /** The last user id of the batch: `--after` it resumes there. */
  lastUserId: string | null;
}

/**
 * Seals every recipient's chat URLs and device tokens under the active key: plaintext rows from before
 * encryption, and rows under an older key after a rotation. Batches in user id order, each in its own
 * transaction with its rows locked (a concurrent profile update waits, and is not overwritten by a stale copy).
 * Rows already under the active key are left untouched, so a second run rewrites nothing and an interrupted run
 * can start again from the beginning or from `after`.
 */
export async function reencryptRecipientSecrets(
  db: DataSource,
  cipher: FieldCipher,
  options: { batchSize: number; after?: string | null; onBatch?: (batch: ReencryptionProgress, total: ReencryptionProgress) => void },
): Promise<ReencryptionProgress> {
  if (cipher.activeKeyId === null) throw new ConfigError(['DATA_ENCRYPTION_KEYS is required to re-encrypt: there is no key to encrypt with']);
  const codec = new RecipientSecretsCodec(cipher);
  const total: ReencryptionProgress = { examined: 0, rewritten: 0, lastUserId: options.after ?? null };
  for (;;) {
    const batch = await db.transaction(async (m) => {
      const rows: Array<{ user_id: string; device_tokens: never[]; chat_destinations: never[] }> = await m.query(
        `SELECT user_id, device_tokens, chat_destinations FROM recipients WHERE ($1::text IS NULL OR user_id > $1) ORDER BY user_id LIMIT $2 FOR UPDATE`,
        [total.lastUserId, options.batchSize],
      );
      const ids: string[] = [];
      const tokens: string[] = [];
      const chats: string[] = [];
      for (const r of rows) {
        const stored = { deviceTokens: r.device_tokens, chatDestinations: r.chat_destinations };
        if (!codec.isStale(stored)) continue;
        const resealed = codec.seal(r.user_id, codec.open(r.user_id, stored));
        ids.push(r.user_id);
        tokens.push(JSON.stringify(resealed.deviceTokens));
        chats.push(JSON.stringify(resealed.chatDestinations));
      }
      if (ids.length) {
        await m.query(
          `UPDATE recipients r SET device_tokens = v.d, chat_destinations = v.c
           FROM unnest($1::text[], $2::jsonb[], $3::jsonb[]) AS v(id, d, c) WHERE r.user_id = v.id`,
          [ids, tokens, chats],
        );
      }
      return { examined: rows.length, rewritten: ids.length, lastUserId: rows.at(-1)?.user_id ?? null };
    });
    if (batch.examined === 0) return total;
    total.examined += batch.examined;
    total.rewritten += batch.rewritten;
    total.lastUserId = batch.lastUserId;
    options.onBatch?.(batch, total);
    if (batch.examined < options.batchSize) return total;
  }
}
