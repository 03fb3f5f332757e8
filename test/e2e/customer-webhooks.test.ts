import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyCustomerWebhook } from '../../src/infrastructure/webhooks/customer-webhook-signature';
import { emailRequest } from '../factories/notification-requests';
import { ADMIN_KEY, eventually, startHerald, type Herald } from '../support/herald-harness';

const auth = { Authorization: `Bearer ${ADMIN_KEY}` };
const SECRET = 'whsec_test_0123456789';

interface Post {
  status: number;
  signed: boolean;
  events: Array<{ id: string; notificationId: string; from: string | null; to: string; metadata: Record<string, unknown> }>;
}

describe('outbound status webhooks: signed, in order, retried until the endpoint takes them', () => {
  let herald: Herald;
  let endpoint: Server;
  const posts: Post[] = [];
  let failuresLeft = 2;

  beforeAll(async () => {
    endpoint = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const status = failuresLeft-- > 0 ? 503 : 200;
        posts.push({ status, signed: verifyCustomerWebhook(SECRET, req.headers['x-herald-signature'] as string, body, new Date()), events: JSON.parse(body).events });
        res.statusCode = status;
        res.end();
      });
    });
    await new Promise<void>((r) => endpoint.listen(0, '127.0.0.1', () => r()));
    herald = await startHerald({
      CUSTOMER_WEBHOOK_URL: `http://127.0.0.1:${(endpoint.address() as AddressInfo).port}/herald-events`,
      CUSTOMER_WEBHOOK_SECRET: SECRET,
      CUSTOMER_WEBHOOK_RETRY_SCHEDULE: '200ms,400ms',
      CUSTOMER_WEBHOOK_INTERVAL: '100ms',
      CUSTOMER_WEBHOOK_SETTLE: '100ms',
    });
  });
  afterAll(async () => {
    await herald.stop();
    await new Promise((r) => endpoint.close(r));
  });

  it('delivers every status change of every notification once the endpoint recovers, each post signed', async () => {
    // The feed starts at the end of the history when the scheduler first runs: wait for that, so every change below is after it.
    await eventually(async () => ((await herald.db.query(`SELECT 1 FROM status_feed_cursors`)).rows.length ? true : undefined), 10_000, 'the feed cursor');
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      ids.push((await herald.http.post('/v1/notifications').set(auth).send(emailRequest({ metadata: { n: i } })).expect(202)).body.notifications[0].id as string);
    }
    const accepted = () => posts.filter((p) => p.status === 200).flatMap((p) => p.events);
    await eventually(() => (ids.every((id) => accepted().some((e) => e.notificationId === id && e.to === 'sent')) ? true : undefined), 20_000, 'sent events delivered');

    expect(posts.filter((p) => p.status === 503)).toHaveLength(2);
    expect(posts.every((p) => p.signed)).toBe(true);
    // The failed batches were posted again: the first accepted post starts where the failed ones did.
    expect(posts[2].events[0].id).toBe(posts[0].events[0].id);
    const events = accepted();
    const numeric = events.map((e) => Number(e.id));
    expect(numeric).toEqual([...numeric].sort((a, b) => a - b));
    expect(new Set(numeric).size).toBe(numeric.length);
    for (const [i, id] of ids.entries()) {
      const mine = events.filter((e) => e.notificationId === id);
      expect(mine.map((e) => e.to)).toEqual(['queued', 'sending', 'sent']);
      expect(mine[0]).toMatchObject({ from: null, metadata: { n: i } });
    }
  });
});
