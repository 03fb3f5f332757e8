import type { ClaimedNotification } from '../../../domain/notification/claimed-notification';
import { SendHistory, type SentCount, type SentCountQuery } from '../../../domain/ports/send-history.port';
import { loadConfig } from '../../../infrastructure/config/load-config';
import { PolitenessGate } from './politeness.gate';

/** SendHistory over an in-memory list of past sends to one recipient. */
class PastSends extends SendHistory {
  readonly queries: SentCountQuery[] = [];
  constructor(private readonly sent: Array<{ category: string | null; channel: string; at: Date }>) {
    super();
  }
  countSent(queries: SentCountQuery[]): Promise<Array<SentCount | null>> {
    this.queries.push(...queries);
    return Promise.resolve(
      queries.map((q) => {
        const matching = this.sent.filter((s) => (q.category === '*' || s.category === q.category) && (q.channel === '*' || s.channel === q.channel) && s.at >= q.since);
        return { notificationId: q.notificationId, recipientKey: 'u-1', sent: matching.length, oldestSentAt: matching[0]?.at ?? null };
      }),
    );
  }
}

function gate(limits: string, history: SendHistory): PolitenessGate {
  const config = loadConfig({ HERALD_ROLES: 'api', DATABASE_URL: 'postgres://h@127.0.0.1/x', AWS_REGION: 'us-east-1', LINK_SIGNING_SECRET: 'test-link-secret-0123456789abcdef0123', PUBLIC_URL: 'https://herald.test', POLITENESS_LIMITS: limits });
  return new PolitenessGate(config, history);
}

const claimed = (id: string, category: string | null, channel: ClaimedNotification['channel'] = 'email'): ClaimedNotification => ({
  id,
  channel,
  recipient: { userId: 'u-1', email: 'u-1@example.com' },
  content: null,
  category,
  metadata: {},
  attemptCount: 0,
});

describe('PolitenessGate', () => {
  const now = new Date('2026-01-01T12:00:00Z');

  it('one batch of several categories, and none, shares the cap across categories', async () => {
    const history = new PastSends([{ category: 'news', channel: 'sms', at: new Date('2026-01-01T11:00:00Z') }]);
    const decisions = await gate('*.*=3/24h', history).evaluate([claimed('a', 'orders'), claimed('b', null, 'push'), claimed('c', 'promo'), claimed('d', null)], now);
    expect([...decisions.keys()]).toEqual(['c', 'd']);
    expect(decisions.get('c')).toMatchObject({ kind: 'suppress', reason: expect.stringContaining('*.*=3/24h: 3 already sent') });
    expect(history.queries.map((q) => [q.notificationId, q.category, q.channel])).toEqual([
      ['a', '*', '*'],
      ['b', '*', '*'],
      ['c', '*', '*'],
      ['d', '*', '*'],
    ]);
  });

  it("a notification must pass its category's limit and the cap: either one stops it", async () => {
    const history = new PastSends([{ category: 'promo', channel: 'email', at: new Date('2026-01-01T11:30:00Z') }]);
    const decisions = await gate('promo.email=1/1h:defer, *.*=3/24h', history).evaluate([claimed('promo', 'promo'), claimed('x', 'orders'), claimed('y', null), claimed('z', 'orders')], now);
    // promo is over its own limit (deferred to when the send at 11:30 leaves the hour); z is over the cap.
    expect(decisions.get('promo')).toMatchObject({ kind: 'defer', until: new Date('2026-01-01T12:30:00Z') });
    expect(decisions.get('z')).toMatchObject({ kind: 'suppress' });
    expect(decisions.has('x')).toBe(false);
    expect(decisions.has('y')).toBe(false);
  });
});
