import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { RecipientProfile } from '../../src/domain/recipient/recipient-profile';
import { FieldCipher } from '../../src/infrastructure/crypto/field-cipher';
import { createDataSource, runMigrationsLocked } from '../../src/infrastructure/typeorm/data-source';
import { RecipientDirectoryTypeormRepository } from '../../src/infrastructure/typeorm/recipient-directory.typeorm-repository';
import { reencryptRecipientSecrets } from '../../src/infrastructure/typeorm/recipient-secrets.reencryption';
import { createTestDatabase } from '../support/test-database';

const k1 = randomBytes(32);
const k2 = randomBytes(32);

function profile(userId: string): RecipientProfile {
  return {
    userId,
    email: null,
    phone: null,
    locale: null,
    timezone: null,
    attributes: {},
    deviceTokens: [
      { token: `fcm-token-${userId}-aaaa`, platform: 'fcm' },
      { token: `https://push.example/sub/${userId}`, platform: 'webpush', keys: { p256dh: 'public-p256dh', auth: `auth-${userId}` } },
    ],
    chatDestinations: [{ type: 'slack', url: `https://hooks.slack.com/services/T/B/${userId}-s3cr3t`, enabled: true }],
  };
}

describe('recipient secrets sealed in PostgreSQL', () => {
  let db: { url: string; drop: () => Promise<void> };
  let ds: DataSource;
  beforeAll(async () => {
    db = await createTestDatabase();
    ds = await createDataSource(db.url, 3).initialize();
    await runMigrationsLocked(ds);
  });
  afterAll(async () => {
    await ds.destroy();
    await db.drop();
  });

  const raw = async (userId: string) => (await ds.query(`SELECT device_tokens, chat_destinations FROM recipients WHERE user_id = $1`, [userId]))[0];

  it('stores URLs, tokens and web push auth secrets sealed with the key id, and reads them back in clear', async () => {
    const repo = new RecipientDirectoryTypeormRepository(ds, new FieldCipher({ keys: { k1 }, activeKeyId: 'k1' }));
    const written = await repo.upsert(profile('u-a'));
    expect(written.chatDestinations).toEqual(profile('u-a').chatDestinations);
    const row = await raw('u-a');
    expect(JSON.stringify(row)).not.toMatch(/s3cr3t|fcm-token|push\.example|auth-u-a/);
    expect(row.chat_destinations[0]).toEqual({ type: 'slack', url: expect.stringMatching(/^enc:v1:k1:/), enabled: true });
    expect(row.device_tokens[1]).toEqual({ platform: 'webpush', token: expect.stringMatching(/^enc:v1:k1:/), keys: { p256dh: 'public-p256dh', auth: expect.stringMatching(/^enc:v1:k1:/) } });
    expect(await repo.get('u-a')).toMatchObject({ deviceTokens: profile('u-a').deviceTokens, chatDestinations: profile('u-a').chatDestinations });
  });

  it('removes a dead device token although sealed tokens cannot be matched in SQL', async () => {
    const repo = new RecipientDirectoryTypeormRepository(ds, new FieldCipher({ keys: { k1 }, activeKeyId: 'k1' }));
    await repo.upsert(profile('u-dead'));
    await repo.removeDeviceToken('u-dead', 'fcm', 'fcm-token-u-dead-aaaa');
    await repo.removeDeviceToken('u-dead', 'apns', 'https://push.example/sub/u-dead');
    expect((await repo.get('u-dead'))!.deviceTokens.map((t) => t.platform)).toEqual(['webpush']);
  });

  it('a value moved onto another recipient does not open', async () => {
    const repo = new RecipientDirectoryTypeormRepository(ds, new FieldCipher({ keys: { k1 }, activeKeyId: 'k1' }));
    await repo.upsert(profile('u-thief'));
    await ds.query(`UPDATE recipients SET chat_destinations = (SELECT chat_destinations FROM recipients WHERE user_id = 'u-a') WHERE user_id = 'u-thief'`);
    await expect(repo.get('u-thief')).rejects.toThrow(/does not authenticate/);
    await repo.upsert(profile('u-thief'));
  });

  it('re-encrypts plaintext and old-key rows under the new key in batches, and a second run changes nothing', async () => {
    await ds.query(`INSERT INTO recipients (user_id, device_tokens, chat_destinations) VALUES ('u-legacy', $1::jsonb, $2::jsonb)`, [
      JSON.stringify(profile('u-legacy').deviceTokens),
      JSON.stringify(profile('u-legacy').chatDestinations),
    ]);
    const rotated = new FieldCipher({ keys: { k1, k2 }, activeKeyId: 'k2' });
    const batches: number[] = [];
    const first = await reencryptRecipientSecrets(ds, rotated, { batchSize: 2, onBatch: (b) => batches.push(b.examined) });
    expect(first).toEqual({ examined: 4, rewritten: 4, lastUserId: 'u-thief' });
    expect(batches).toEqual([2, 2]);
    const repo = new RecipientDirectoryTypeormRepository(ds, new FieldCipher({ keys: { k2 }, activeKeyId: 'k2' }));
    for (const id of ['u-a', 'u-dead', 'u-legacy', 'u-thief']) {
      const row = await raw(id);
      for (const value of [...row.chat_destinations.map((d: { url: string }) => d.url), ...row.device_tokens.map((t: { token: string }) => t.token)]) expect(FieldCipher.keyIdOf(value)).toBe('k2');
    }
    expect((await repo.get('u-legacy'))!.chatDestinations).toEqual(profile('u-legacy').chatDestinations);
    const before = await ds.query(`SELECT user_id, chat_destinations, updated_at FROM recipients ORDER BY user_id`);
    expect(await reencryptRecipientSecrets(ds, rotated, { batchSize: 2 })).toEqual({ examined: 4, rewritten: 0, lastUserId: 'u-thief' });
    expect(await ds.query(`SELECT user_id, chat_destinations, updated_at FROM recipients ORDER BY user_id`)).toEqual(before);
    expect(await reencryptRecipientSecrets(ds, rotated, { batchSize: 2, after: 'u-legacy' })).toEqual({ examined: 1, rewritten: 0, lastUserId: 'u-thief' });
  });
});
