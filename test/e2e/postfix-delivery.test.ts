import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { HeraldProcess } from '../faults/support/herald-process';
import { freePort } from '../faults/support/child-processes';
import { eventually, sleep } from '../support/herald-harness';
import { PostfixInstance, postfixUnavailable } from '../support/postfix';
import { processEnv } from '../support/process-env';
import { createTestDatabase } from '../support/test-database';

/*
 * Herald's email path (the built service, the real SMTP adapter) against a real MTA: Postfix from Debian's
 * packages, strict settings, delivering into a Maildir. Postfix is stopped and started again in the middle
 * of a batch, as a mail server restart does; the email channel must carry on by itself.
 */

const API_KEY = `hk_postfix_admin_${'p'.repeat(24)}`;
const POOL_SIZE = 3;
const SETTLED = ['sent', 'failed', 'unknown', 'suppressed', 'cancelled'];

jest.setTimeout(120_000);

describe('email through a real Postfix', () => {
  let dir: string;
  let postfix: PostfixInstance;
  let herald: HeraldProcess;
  let database: { url: string; drop: () => Promise<void> };
  let db: Client;
  let api: string;

  beforeAll(async () => {
    // Never skipped: a machine that cannot run Postfix fails this suite and says why.
    const unavailable = postfixUnavailable();
    if (unavailable) throw new Error(`Postfix end-to-end test cannot run: ${unavailable}`);
    if (!existsSync(join(process.cwd(), 'dist/src/main.js'))) throw new Error('dist/ is missing: `npm test` builds it first (or run `npm run build`)');
    dir = await mkdtemp(join(tmpdir(), 'herald-postfix-'));
    postfix = new PostfixInstance(dir, await freePort());
    await postfix.configure();
    await postfix.start();
    database = await createTestDatabase();
    db = new Client({ connectionString: database.url });
    const port = await freePort();
    api = `http://127.0.0.1:${port}`;
    herald = new HeraldProcess(
      'herald',
      {
        HERALD_ROLES: 'all',
        ...processEnv({ port, databaseUrl: database.url, queuePrefix: 'pf' }),
        SQS_VISIBILITY_TIMEOUT_SECONDS: '10',
        SMTP_URL: postfix.url,
        EMAIL_FROM: 'Herald <no-reply@herald.test>',
        SMTP_POOL_SIZE: String(POOL_SIZE),
        SMTP_CONNECTION_TIMEOUT: '2s',
        // Idle connections are closed with QUIT after half of this.
        SMTP_SOCKET_TIMEOUT: '4s',
        HERALD_BOOTSTRAP_API_KEY: API_KEY,
        LINK_SIGNING_SECRET: 'postfix-suite-link-secret-0123456789abcdef',
        PUBLIC_URL: 'https://herald.test',
        RELAY_POLL_INTERVAL: '50ms',
        // Enough retries to outlast the restart below (about 3 s down) several times over.
        RETRY_SCHEDULE: '500ms,1s,2s,3s,3s,3s',
        // The refused connects while Postfix is down open the provider's breaker; a short cooldown keeps the test short.
        PROVIDER_BREAKER_COOLDOWN: '2s',
        DISPATCH_LEASE: '20s',
        LEASE_SWEEP_INTERVAL: '1s',
        LOG_LEVEL: 'warn',
      },
      dir,
    );
    herald.start();
    await eventually(async () => ((await fetch(`${api}/health/live`)).ok ? true : undefined), 90_000, 'the Herald process');
    await db.connect();
  });

  afterAll(async () => {
    await herald?.stop();
    await db?.end().catch(() => undefined);
    await database?.drop().catch(() => undefined);
    await postfix?.stop().catch(() => undefined);
    if (dir && !process.env.POSTFIX_KEEP_LOGS) await rm(dir, { recursive: true, force: true });
    else if (dir) process.stdout.write(`Postfix test files kept in ${dir}\n`);
  });

  async function submit(tag: string, recipients: string[]): Promise<string[]> {
    const res = await fetch(`${api}/v1/notifications/batch`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${API_KEY}`, 'Content-Type': 'application/json', 'Idempotency-Key': `postfix-${tag}` },
      body: JSON.stringify({
        items: recipients.map((email, i) => ({
          recipient: { email },
          channels: ['email'],
          content: { email: { subject: `Postfix ${tag} #${i} — ünïcode`, text: `Notification ${tag} ${i}`, html: `<html><body><p>Notification ${tag} ${i}</p></body></html>` } },
          category: 'postfix',
        })),
      }),
    });
    if (res.status !== 202) throw new Error(`batch ${tag}: ${res.status} ${await res.text()}`);
    const body = (await res.json()) as { items: Array<{ notifications?: Array<{ id: string }> }> };
    return body.items.map((item, i) => {
      if (!item.notifications?.[0]) throw new Error(`batch ${tag} item ${i} was not accepted`);
      return item.notifications[0].id;
    });
  }

  async function settled(ids: string[], timeoutMs = 60_000): Promise<Map<string, { status: string; reason: string | null }>> {
    const t0 = Date.now();
    const done = await eventually(
      async () => {
        const { rows } = await db.query<{ id: string; status: string; status_reason: string | null }>(
          `SELECT id, status, status_reason FROM notifications WHERE id = ANY($1)`,
          [ids],
        );
        if (rows.length !== ids.length || rows.some((r) => !SETTLED.includes(r.status))) return undefined;
        return new Map(rows.map((r) => [r.id, { status: r.status, reason: r.status_reason }]));
      },
      timeoutMs,
      `${ids.length} notifications settled`,
    ).catch(async (err: Error) => {
      const { rows } = await db.query(`SELECT status, count(*)::int AS n FROM notifications WHERE id = ANY($1) GROUP BY status`, [ids]);
      throw new Error(`${err.message}; statuses: ${JSON.stringify(rows)}`);
    });
    process.stdout.write(`${ids.length} notifications settled in ${Date.now() - t0} ms\n`);
    return done;
  }

  const countOf = (delivered: string[]) => delivered.reduce((m, id) => m.set(id, (m.get(id) ?? 0) + 1), new Map<string, number>());

  it('delivers a batch into the Maildir, each email exactly once; a refused recipient fails and the connection goes on after RSET', async () => {
    const recipients = Array.from({ length: 30 }, (_, i) => (i === 11 ? `nobody@${postfix.domain}` : `user-${i}@${postfix.domain}`));
    const ids = await submit('batch', recipients);
    const statuses = await settled(ids);
    const delivered = countOf(await postfix.delivered());
    for (const [i, id] of ids.entries()) {
      if (i === 11) {
        expect(statuses.get(id)).toMatchObject({ status: 'failed' });
        expect(delivered.get(id)).toBeUndefined();
      } else {
        expect(statuses.get(id)?.status).toBe('sent');
        expect(delivered.get(id)).toBe(1);
      }
    }
    const one = await postfix.message(ids[0]);
    expect(one).toMatch(/^Message-ID: <[0-9a-f-]+@herald\.test>/im);
    // The unsubscribe link is inside the HTML body (quoted-printable decoded), not after </html>.
    const html = one!.replace(/=\r?\n/g, '').replace(/=3D/g, '=');
    expect(html).toContain('<p>Notification batch 0</p>');
    expect(html).toMatch(/<body><p>Notification batch 0<\/p>\s*<p [^>]*><a href="[^"]+">Unsubscribe<\/a><\/p>\s*<\/body><\/html>/);
    // Idle connections are closed with QUIT; Postfix counts each session's commands when it ends.
    // The session that had the refused recipient went on after RSET (rcpt=n/m counts the refusal) and ended with QUIT.
    const session = /disconnect from \S+ ehlo=1 mail=(\d+) rcpt=(\d+)\/(\d+) data=(\d+) rset=\d+ quit=1 /;
    const ended = await eventually(async () => session.exec(await postfix.log()) ?? undefined, 20_000, 'the session with the refusal ended with QUIT');
    expect(Number(ended[3]) - Number(ended[2])).toBe(1);
    expect(Number(ended[4])).toBeGreaterThanOrEqual(1);
    const log = await postfix.log();
    // The strict settings refused nothing Herald sent.
    expect(log).not.toMatch(/improper command pipelining|bare <LF>|Helo command rejected/i);
  });

  it('a Postfix restart in the middle of a batch: every email delivered exactly once or, only if it may have been accepted, unknown; none lost', async () => {
    const recipients = Array.from({ length: 100 }, (_, i) => `restart-${i}@${postfix.domain}`);
    const before = new Set(await postfix.delivered());
    const ids = await submit('restart', recipients);
    await eventually(async () => ((await postfix.delivered()).filter((id) => !before.has(id)).length >= 3 ? true : undefined), 30_000, 'the batch under way');
    await postfix.stop();
    const deliveredAtStop = (await postfix.delivered()).filter((id) => !before.has(id)).length;
    // Otherwise the restart would not have been in the middle of the batch, and this test would prove nothing.
    expect(deliveredAtStop).toBeLessThan(ids.length);
    await sleep(3_000);
    await postfix.start();
    const statuses = await settled(ids, 60_000);
    // Postfix delivers from its queue what it had accepted before it stopped.
    await sleep(2_000);
    const delivered = countOf(await postfix.delivered());
    const unknown: string[] = [];
    for (const id of ids) {
      const { status, reason } = statuses.get(id)!;
      expect(delivered.get(id) ?? 0).toBeLessThanOrEqual(1);
      if (status === 'sent') expect(delivered.get(id)).toBe(1);
      else {
        expect({ id, status, reason }).toMatchObject({ status: 'unknown' });
        unknown.push(id);
      }
    }
    const sent = ids.filter((id) => statuses.get(id)!.status === 'sent');
    const { rows: failures } = await db.query<{ error_code: string; n: number }>(
      `SELECT error_code, count(*)::int AS n FROM notification_attempts WHERE notification_id = ANY($1) AND outcome <> 'sent' GROUP BY error_code ORDER BY n DESC`,
      [ids],
    );
    process.stdout.write(
      `Postfix restart mid-batch: ${ids.length} accepted, ${deliveredAtStop} delivered before the stop, ${sent.length} sent and delivered once, ` +
        `${unknown.length} unknown (${unknown.filter((id) => delivered.has(id)).length} of them delivered), 0 lost; failed attempts ${JSON.stringify(failures)}\n`,
    );
    // The restart did interrupt sends: they failed, were retried and went through after it.
    expect(failures.length).toBeGreaterThan(0);
    // At most one message per connection can be between its final dot and the server's answer.
    expect(unknown.length).toBeLessThanOrEqual(POOL_SIZE);

    // The channel carries on by itself: an email accepted after the restart is delivered.
    const [after] = await submit('after-restart', [`after@${postfix.domain}`]);
    expect((await settled([after], 30_000)).get(after)?.status).toBe('sent');
    expect(countOf(await postfix.delivered()).get(after)).toBe(1);
  });
});
