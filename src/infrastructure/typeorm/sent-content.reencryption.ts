import type { DataSource } from 'typeorm';
import { ConfigError } from '../config/config-error';
import { FieldCipher } from '../crypto/field-cipher';
import { SentContentCodec } from './sent-content.codec';

export interface SentContentReencryptionProgress {
  /** Notifications whose content as sent was not under the active key, and now is. */
  rewritten: number;
  /** The last notification id of the batch: `--after-notification` it resumes there. */
  lastNotificationId: string | null;
}

/**
 * Seals every notification's content as sent under the active key: plaintext values from before encryption, and
 * values under an older key after a rotation. Only those rows are read (the test is on the stored value's key mark),
 * in id order, in batches each in its own transaction with its rows locked: a worker recording an attempt meanwhile
 * waits, and its newer content is not overwritten by a stale copy. A second run rewrites nothing.
 */
export async function reencryptSentContent(
  db: DataSource,
  cipher: FieldCipher,
  options: {
    batchSize: number;
    after?: string | null;
    onBatch?: (batch: SentContentReencryptionProgress, total: SentContentReencryptionProgress) => void;
  },
): Promise<SentContentReencryptionProgress> {
  if (cipher.activeKeyId === null) throw new ConfigError(['DATA_ENCRYPTION_KEYS is required to re-encrypt: there is no key to encrypt with']);
  const codec = new SentContentCodec(cipher);
  const current = `enc:v1:${cipher.activeKeyId}:`;
  const total: SentContentReencryptionProgress = { rewritten: 0, lastNotificationId: options.after ?? null };
  for (;;) {
    const batch = await db.transaction(async (m) => {
      const rows: Array<{ id: string; sent_content: string }> = await m.query(
        `SELECT id, sent_content FROM notifications
         WHERE ($1::uuid IS NULL OR id > $1) AND sent_content IS NOT NULL AND NOT starts_with(sent_content, $2)
         ORDER BY id LIMIT $3 FOR UPDATE`,
        [total.lastNotificationId, current, options.batchSize],
      );
      const resealed = rows.filter((r) => codec.isStale(r.sent_content)).map((r) => ({ id: r.id, value: codec.reseal(r.id, r.sent_content) }));
      if (resealed.length) {
        await m.query(`UPDATE notifications n SET sent_content = v.value FROM unnest($1::uuid[], $2::text[]) AS v(id, value) WHERE n.id = v.id`, [
          resealed.map((r) => r.id),
          resealed.map((r) => r.value),
        ]);
      }
      return { found: rows.length, rewritten: resealed.length, lastNotificationId: rows.at(-1)?.id ?? null };
    });
    if (batch.found === 0) return total;
    total.rewritten += batch.rewritten;
    total.lastNotificationId = batch.lastNotificationId;
    options.onBatch?.({ rewritten: batch.rewritten, lastNotificationId: batch.lastNotificationId }, total);
    if (batch.found < options.batchSize) return total;
  }
}
