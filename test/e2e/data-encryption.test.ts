import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ADMIN_KEY, eventually, startHerald, type Herald } from '../support/herald-harness';
import { startSlackPeer } from '../support/peers/chat-peers';
import type { HttpPeer } from '../support/peers/http-peer';
import { createTestDatabase } from '../support/test-database';

const run = promisify(execFile);
const CLI = join(__dirname, '..', '..', 'dist', 'src', 'cli', 'main.js');
const k1 = `k1:${randomBytes(32).toString('base64')}`;
const k2 = `k2:${randomBytes(32).toString('base64')}`;
const auth = { Authorization: `Bearer ${ADMIN_KEY}` };

describe('recipients\' chat webhook URLs and notifications\' content as sent encrypted at rest, and key rotation', () => {
  let slack: HttpPeer;
  let database: { url: string; drop: () => Promise<void> };
  let herald: Herald | null = null;
  const webhookPath = `/services/T0/B0/${randomBytes(8).toString('hex')}`;
  const legacyPath = '/services/T0/B0/legacy-plaintext-path';

  beforeAll(async () => {
    slack = await startSlackPeer();
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await herald?.stop({ keepDatabase: true });
    await slack.close();
    await database.drop();
  });

  const start = async (env: Record<string, string>) => {
    herald = await startHerald({ CHAT_PROVIDERS: 'slack', ...env }, { database });
    return herald;
  };
  const stop = async () => {
    await herald?.stop({ keepDatabase: true });
    herald = null;
  };
  const chatUrls = async (h: Herald, userId: string): Promise<string[]> =>
    (await h.db.query(`SELECT chat_destinations FROM recipients WHERE user_id = $1`, [userId])).rows[0].chat_destinations.map((d: { url: string }) => d.url);
  async function deliver(h: Herald, userId: string, text: string): Promise<void> {
    const res = await h.http.post('/v1/notifications').set(auth).send({ recipient: { userId }, channels: ['chat'], content: { chat: { text } } }).expect(202);
    const id = res.body.notifications[0].id as string;
    await eventually(async () => ((await h.http.get(`/v1/notifications/${id}`).set(auth)).body.status === 'sent' ? true : undefined), 30_000, `notification ${id} sent`);
    const got = slack.received.find((r) => r.text.includes(text));
    expect(got?.url).toBe(userId === 'u-legacy' ? legacyPath : webhookPath);
  }

  it('a Slack webhook stored through the API is not in clear in its row, carries the key id, and still delivers', async () => {
    const h = await start({ DATA_ENCRYPTION_KEYS: k1 });
    await h.http.put('/v1/recipients/u-enc').set(auth).send({ chatDestinations: [{ type: 'slack', url: `${slack.url}${webhookPath}`, enabled: true }] }).expect(200);
    const [stored] = await chatUrls(h, 'u-enc');
    expect(stored).toMatch(/^enc:v1:k1:/);
    expect(stored).not.toContain(webhookPath.split('/').pop());
    expect(stored).not.toContain('127.0.0.1');
    await deliver(h, 'u-enc', 'sealed under k1');
    // A row written before encryption was configured is still read (and delivered to) as it is.
    await h.db.query(`INSERT INTO recipients (user_id, chat_destinations) VALUES ('u-legacy', $1::jsonb)`, [JSON.stringify([{ type: 'slack', url: `${slack.url}${legacyPath}`, enabled: true }])]);
    await deliver(h, 'u-legacy', 'legacy plaintext row');
    // Content as sent, sealed too; the second one as a row from before encryption would hold it.
    const contents = (await h.db.query(`SELECT id, sent_content FROM notifications WHERE sent_content IS NOT NULL ORDER BY created_at`)).rows;
    expect(contents.map((r: { sent_content: string }) => r.sent_content.slice(0, 10))).toEqual(['enc:v1:k1:', 'enc:v1:k1:']);
    await h.db.query(`UPDATE notifications SET sent_content = $1 WHERE id = $2`, [JSON.stringify({ chat: { text: 'legacy plaintext row' } }), contents[1].id]);
    await stop();
  });

  it('after a rotation, the reencrypt CLI moves every row to the new key, a rerun changes nothing, and delivery goes on with the old key gone', async () => {
    const env = { PATH: process.env.PATH!, DATABASE_URL: database.url, DATA_ENCRYPTION_KEYS: `${k1},${k2}`, DATA_ENCRYPTION_ACTIVE_KEY: 'k2' };
    const first = await run(process.execPath, [CLI, 'reencrypt', '--batch-size', '1'], { env });
    expect(first.stdout).toContain('Done: 2 recipient(s) examined, 2 re-encrypted under key "k2".');
    expect(first.stdout).toContain('batch of 1 up to user id u-enc');
    expect(first.stdout).toContain('Done: 2 notification content(s) as sent re-encrypted under key "k2".');
    expect(first.stdout).toMatch(/notifications: 1 re-encrypted \(batch of 1 up to notification id [0-9a-f-]{36}\)/);
    const again = await run(process.execPath, [CLI, 'reencrypt'], { env });
    expect(again.stdout).toContain('Done: 2 recipient(s) examined, 0 re-encrypted');
    expect(again.stdout).toContain('Done: 0 notification content(s) as sent re-encrypted');

    const h = await start({ DATA_ENCRYPTION_KEYS: k2 });
    for (const userId of ['u-enc', 'u-legacy']) {
      const [stored] = await chatUrls(h, userId);
      expect(stored).toMatch(/^enc:v1:k2:/);
      expect(stored).not.toContain('services');
    }
    const contents = (await h.db.query(`SELECT id, sent_content FROM notifications WHERE sent_content IS NOT NULL ORDER BY created_at`)).rows;
    expect(contents.map((r: { sent_content: string }) => r.sent_content.slice(0, 10))).toEqual(['enc:v1:k2:', 'enc:v1:k2:']);
    for (const [i, text] of ['sealed under k1', 'legacy plaintext row'].entries()) {
      const read = await h.http.get(`/v1/notifications/${contents[i].id}/content`).set(auth).expect(200);
      expect(read.body.content).toEqual({ chat: { text } });
    }
    await deliver(h, 'u-enc', 'sealed under k2');
    await deliver(h, 'u-legacy', 'legacy now sealed');
  });

  it('the CLI without a key refuses to run, naming the setting', async () => {
    const res = await run(process.execPath, [CLI, 'reencrypt'], { env: { PATH: process.env.PATH!, DATABASE_URL: database.url } }).catch((e: { code: number; stderr: string }) => e);
    expect((res as { code: number }).code).toBe(1);
    expect((res as { stderr: string }).stderr).toContain('DATA_ENCRYPTION_KEYS is required to re-encrypt');
  });
});
