import { decidePoliteness, limitFor, parsePolitenessLimits } from './politeness-policy';

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
});
