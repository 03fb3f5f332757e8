import { randomBytes, randomUUID } from 'node:crypto';
import { createTransport } from 'nodemailer';
import { Pool } from 'pg';
import { signLink } from '../src/domain/preferences/signed-link';
import { openSmtpSocket } from '../src/infrastructure/providers/smtp/smtp-socket';
import { LoopbackClient, pool } from './http-client';
import { emailRequest, FCM_PROJECT, pushRequest } from './workload';

export interface Rate {
  count: number;
  seconds: number;
  perSecond: number;
  /** Every timed round's rate, when the figure is the median of several. */
  rounds?: number[];
}

const rate = (count: number, startedMs: number): Rate => {
  const seconds = (performance.now() - startedMs) / 1000;
  return { count, seconds, perSecond: count / seconds };
};

/**
 * A baseline is short (one to two seconds), so one round moves with whatever else the machine does at that
 * moment. Each is measured after an untimed warm-up (connections open, code compiled) as `rounds` timed
 * rounds of `total`, and the median round is the figure; the others are kept in the result file.
 */
async function medianRound(rounds: number, total: number, warmUp: (count: number) => Promise<void>, round: (offset: number) => Promise<void>): Promise<Rate> {
  await warmUp(Math.max(100, Math.ceil(total / 10)));
  const results: Rate[] = [];
  for (let r = 0; r < Math.max(1, rounds); r++) {
    const started = performance.now();
    await round((r + 1) * total);
    results.push(rate(total, started));
  }
  const sorted = [...results].sort((a, b) => a.perSecond - b.perSecond);
  return { ...sorted[Math.floor((sorted.length - 1) / 2)], rounds: results.map((x) => Math.round(x.perSecond)) };
}

/**
 * Multi-row INSERTs of the rows Herald writes for accepted notifications, into a copy of the
 * notifications table (same columns, defaults and indexes; no foreign keys), through `concurrency`
 * pooled connections, `rowsPerStatement` rows per statement, each statement its own transaction.
 */
export async function rawInsertRate(databaseUrl: string, total: number, rowsPerStatement: number, concurrency: number, rounds = 3): Promise<Rate> {
  const db = new Pool({ connectionString: databaseUrl, max: concurrency });
  const insert = (count: number, offset: number) =>
    pool(Math.ceil(count / rowsPerStatement), concurrency, async (s) => {
      const values: unknown[] = [];
      const tuples: string[] = [];
      for (let i = offset + s * rowsPerStatement; i < offset + Math.min(count, (s + 1) * rowsPerStatement); i++) {
        const r = emailRequest('raw', i);
        const b = values.length;
        tuples.push(`($${b + 1}, $${b + 2}, 'email', $${b + 3}, $${b + 4}, $${b + 5}, 'bench', $${b + 6}, 'queued')`);
        values.push(randomUUID(), randomUUID(), r.recipient.userId, JSON.stringify(r.recipient), JSON.stringify(r.content.email), JSON.stringify(r.metadata));
      }
      await db.query(
        `INSERT INTO bench_raw_notifications (id, request_id, channel, recipient_key, recipient, content, category, metadata, status) VALUES ${tuples.join(',')}`,
        values,
      );
    });
  try {
    await db.query(`CREATE TABLE bench_raw_notifications (LIKE notifications INCLUDING ALL)`);
    return await medianRound(
      rounds,
      total,
      (count) => insert(count, 0),
      (offset) => insert(total, offset),
    );
  } finally {
    await db.query(`DROP TABLE IF EXISTS bench_raw_notifications`).catch(() => undefined);
    await db.end();
  }
}

/**
 * nodemailer's pooled transport straight to the SMTP peer, with Herald's pool size and its socket settings
 * (Nagle off: without it nodemailer waits for delayed ACKs), everything submitted at once. Each message is the
 * one Herald sends for the same request: the same headers, and the RFC 8058 one-click unsubscribe headers
 * and text footer with a signed link (Herald adds them to every non-critical email, as bulk senders must).
 */
export async function rawSmtpRate(port: number, total: number, poolSize: number, rounds = 3): Promise<Rate> {
  const transport = createTransport({ pool: true, host: '127.0.0.1', port, secure: false, ignoreTLS: true, maxConnections: poolSize, maxMessages: 1000, getSocket: openSmtpSocket });
  const secret = randomBytes(32).toString('hex');
  const send = (count: number, offset: number) =>
    Promise.all(
      Array.from({ length: count }, (_, k) => {
        const i = offset + k;
        const r = emailRequest('smtp', i);
        const expires = new Date(Date.now() + 60 * 24 * 3_600_000);
        const token = signLink({ purpose: 'unsubscribe', userId: r.recipient.userId, address: null, category: r.category, channel: 'email' }, secret, expires);
        const unsubscribe = `http://localhost:3000/v1/unsubscribe?token=${token}`;
        return transport.sendMail({
          from: 'Herald <no-reply@bench.test>',
          to: r.recipient.email,
          subject: r.content.email.subject,
          text: `${r.content.email.text}\n\n--\nUnsubscribe: ${unsubscribe}\n`,
          messageId: `<${randomUUID()}@herald>`,
          headers: { 'List-Unsubscribe': `<${unsubscribe}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click', 'X-Herald-Notification-Id': `smtp-${i}` },
        });
      }),
    );
  try {
    return await medianRound(
      rounds,
      total,
      (count) => send(count, 0).then(() => undefined),
      (offset) => send(total, offset).then(() => undefined),
    );
  } finally {
    transport.close();
  }
}

/**
 * Keep-alive HTTP POSTs of the FCM v1 message Herald's adapter sends, to the push peer's messages:send, with
 * `concurrency` in flight: what one client process gets from the peer without Herald.
 */
export async function rawHttpRate(port: number, total: number, concurrency: number, rounds = 3): Promise<Rate> {
  const client = new LoopbackClient(port, concurrency);
  const post = (count: number, offset: number) =>
    pool(count, concurrency, async (k) => {
      const i = offset + k;
      const r = pushRequest('raw', i);
      const message = {
        token: r.recipient.deviceTokens[0].token,
        notification: { title: r.content.push.title, body: r.content.push.body },
        data: { ...r.content.push.data, heraldNotificationId: `push-${i}` },
        android: { priority: 'high' },
        apns: { headers: { 'apns-collapse-id': `push-${i}` } },
      };
      const res = await client.post(`/v1/projects/${FCM_PROJECT}/messages:send`, { message }, { authorization: 'Bearer bench-access-token' });
      if (res.status !== 200) throw new Error(`push peer answered ${res.status}`);
    });
  try {
    return await medianRound(
      rounds,
      total,
      (count) => post(count, 0),
      (offset) => post(total, offset),
    );
  } finally {
    client.close();
  }
}
