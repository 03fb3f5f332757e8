import { decidePoliteness, limitsFor, parsePolitenessLimits, strictestVerdict, type PolitenessLimit } from './politeness-policy';

const limitFor = (limits: PolitenessLimit[], category: string | null, channel: 'email' | 'sms' | 'push') => limitsFor(limits, category, channel)[0] ?? null;

describe('politeness limits', () => {
  const { limits, bad } = parsePolitenessLimits('marketing.email=3/24h, marketing.*=5/1d, digest.email=1/1h:defer, x.fax=1/1h, y.email=0/1h, z.email=2/soon');

  it('parses category.channel=max/window[:policy] and names the items it cannot read', () => {
    expect(limits.map((l) => [l.category, l.channel, l.max, l.windowMs, l.overLimit])).toEqual([
      ['marketing', 'email', 3, 86_400_000, 'suppress'],
      ['marketing', '*', 5, 86_400_000, 'suppress'],
      ['digest', 'email', 1, 3_600_000, 'defer'],
    ]);
    expect(bad).toEqual(['x.fax=1/1h', 'y.email=0/1h', 'z.email=2/soon']);
  });

  it('applies the channel-specific limit before the category-wide one, and none without a category', () => {
    expect(limitFor(limits, 'marketing', 'email')?.max).toBe(3);
    expect(limitFor(limits, 'marketing', 'sms')?.max).toBe(5);
    expect(limitFor(limits, 'orders', 'email')).toBeNull();
    expect(limitFor(limits, null, 'email')).toBeNull();
  });

  it('lets notifications through up to the limit, counting the ones already admitted in the batch', () => {
    const now = new Date('2026-01-01T12:00:00Z');
    const marketing = limitFor(limits, 'marketing', 'email')!;
    expect(decidePoliteness(marketing, 2, now, 0, now)).toEqual({ kind: 'proceed' });
    const over = decidePoliteness(marketing, 2, now, 1, now);
    expect(over).toMatchObject({ kind: 'suppress' });
    expect(over.kind === 'suppress' && over.reason).toContain('marketing.email=3/24h: 3 already sent');
  });

  it('defers until the oldest send in the window leaves it, by category policy', () => {
    const now = new Date('2026-01-01T12:00:00Z');
    const digest = limitFor(limits, 'digest', 'email')!;
    const verdict = decidePoliteness(digest, 1, new Date('2026-01-01T11:20:00Z'), 0, now);
    expect(verdict).toMatchObject({ kind: 'defer', until: new Date('2026-01-01T12:20:00Z') });
  });

  describe('across every category (*.*)', () => {
    const global = parsePolitenessLimits('marketing.email=3/24h, *.*=20/24h, *.sms=5/1h:defer');

    it('parses * as the category, and still refuses a bad item', () => {
      expect(global.bad).toEqual([]);
      expect(global.limits.map((l) => [l.category, l.channel, l.max])).toEqual([
        ['marketing', 'email', 3],
        ['*', '*', 20],
        ['*', 'sms', 5],
      ]);
      expect(parsePolitenessLimits('**.*=1/1h, *.fax=1/1h').bad).toEqual(['**.*=1/1h', '*.fax=1/1h']);
    });

    it("applies both the category's limit and the limit across categories, the channel-specific one of each first", () => {
      const texts = (category: string | null, channel: 'email' | 'sms' | 'push') => limitsFor(global.limits, category, channel).map((l) => l.text);
      expect(texts('marketing', 'email')).toEqual(['marketing.email=3/24h', '*.*=20/24h']);
      expect(texts('orders', 'email')).toEqual(['*.*=20/24h']);
      expect(texts('orders', 'sms')).toEqual(['*.sms=5/1h:defer']);
    });

    it('counts notifications without a category too', () => {
      expect(limitsFor(global.limits, null, 'push').map((l) => l.text)).toEqual(['*.*=20/24h']);
      expect(limitsFor(limits, null, 'push')).toEqual([]);
    });

    it('takes the strictest verdict: a suppression over a deferral, the later of two deferrals', () => {
      const early = { kind: 'defer' as const, until: new Date('2026-01-01T13:00:00Z'), reason: 'a' };
      const late = { kind: 'defer' as const, until: new Date('2026-01-01T14:00:00Z'), reason: 'b' };
      expect(strictestVerdict([{ kind: 'proceed' }, { kind: 'proceed' }])).toEqual({ kind: 'proceed' });
      expect(strictestVerdict([early, { kind: 'suppress', reason: 'c' }, late])).toEqual({ kind: 'suppress', reason: 'c' });
      expect(strictestVerdict([early, { kind: 'proceed' }, late])).toBe(late);
      expect(strictestVerdict([])).toEqual({ kind: 'proceed' });
    });
  });
});
