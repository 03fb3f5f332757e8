import { randomUUID } from 'node:crypto';
import { createTransport } from 'nodemailer';
import { Pool } from 'pg';
import { openSmtpSocket } from '../src/infrastructure/providers/email/smtp-socket';
import { LoopbackClient, pool } from './http-client';
import { emailRequest, FCM_PROJECT, pushRequest } from './workload';

export interface Rate {
  count: number;
  seconds: number;
  perSecond: number;
}

const rate = (count: number, startedMs: number): Rate => {
  const seconds = (performance.now() - startedMs) / 1000;
  return { count, seconds, perSecond: count / seconds };
};

/**
 * Multi-row INSERTs of the rows Herald writes for accepted notifications, into a copy of the
 * notifications table (same columns, defaults and indexes; no foreign keys), through `concurrency`
 * pooled connections, `rowsPerStatement` rows per statement, each statement its own transaction.
 */
export async function rawInsertRate(databaseUrl: string, total: number, rowsPerStatement: number, concurrency: number): Promise<Rate> {
  const db = new Pool({ connectionString: databaseUrl, max: concurrency });
  try {
    await db.query(`CREATE TABLE bench_raw_notifications (LIKE notifications INCLUDING ALL)`);
    const statements = Math.ceil(total / rowsPerStatement);
    const started = performance.now();
    await pool(statements, concurrency, async (s) => {
      const values: unknown[] = [];
      const tuples: string[] = [];
      for (let i = s * rowsPerStatement; i < Math.min(total, (s + 1) * rowsPerStatement); i++) {
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
    return rate(total, started);
  } finally {
    await db.query(`DROP TABLE IF EXISTS bench_raw_notifications`).catch(() => undefined);
    await db.end();
  }
}

/**
 * nodemailer's pooled transport straight to the SMTP peer, with Herald's pool size and its socket settings
 * (Nagle off: without it nodemailer waits for delayed ACKs), everything submitted at once.
 */
export async function rawSmtpRate(port: number, total: number, poolSize: number): Promise<Rate> {
  const transport = createTransport({ pool: true, host: '127.0.0.1', port, secure: false, ignoreTLS: true, maxConnections: poolSize, maxMessages: 1000, getSocket: openSmtpSocket });
  try {
    const started = performance.now();
    await Promise.all(
      Array.from({ length: total }, (_, i) => {
        const r = emailRequest('smtp', i);
        return transport.sendMail({
          from: 'Herald <no-reply@bench.test>',
          to: r.recipient.email,
          subject: r.content.email.subject,
          text: r.content.email.text,
          messageId: `<bench-${i}@herald>`,
          headers: { 'X-Bench-Id': `smtp-${i}` },
        });
      }),
    );
    return rate(total, started);
  } finally {
    transport.close();
  }
}

/**
 * Keep-alive HTTP POSTs of the FCM v1 message Herald's adapter sends, to the push peer's messages:send, with
 * `concurrency` in flight: what one client process gets from the peer without Herald.
 */
export async function rawHttpRate(port: number, total: number, concurrency: number): Promise<Rate> {
  const client = new LoopbackClient(port, concurrency);
  try {
    const started = performance.now();
    await pool(total, concurrency, async (i) => {
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
    return rate(total, started);
  } finally {
    client.close();
  }
}
