import { bucketsOf, engagementQueryOf } from './engagement';

describe('engagement report query', () => {
  it('reads the window and the dimensions, channel by default', () => {
    expect(engagementQueryOf({ from: '2026-11-01T00:00:00Z', to: '2026-11-02T00:00:00Z' })).toEqual({
      query: { from: new Date('2026-11-01T00:00:00Z'), to: new Date('2026-11-02T00:00:00Z'), groupBy: ['channel'] },
    });
    expect(engagementQueryOf({ from: '2026-11-01', to: '2027-02-02', groupBy: 'template, provider' })).toMatchObject({ query: { groupBy: ['template', 'provider'] } });
  });

  it('refuses a window that is empty, reversed or longer than 93 days, and unknown or repeated dimensions', () => {
    expect(engagementQueryOf({ from: '2026-11-02', to: '2026-11-02' })).toEqual({ issues: [{ field: 'to', reason: 'must be after from' }] });
    expect(engagementQueryOf({ from: '2026-11-03', to: '2026-11-02' })).toEqual({ issues: [{ field: 'to', reason: 'must be after from' }] });
    expect(engagementQueryOf({ from: '2026-01-01', to: '2026-04-05' })).toEqual({ issues: [{ field: 'to', reason: 'must be at most 93 days after from' }] });
    expect(engagementQueryOf({ from: '2026-01-01', to: '2026-01-02', groupBy: 'channel,country' })).toEqual({
      issues: [{ field: 'groupBy', reason: 'must be a comma-separated list of channel, category, template, provider (not "country")' }],
    });
    expect(engagementQueryOf({ from: '2026-01-01', to: '2026-01-02', groupBy: 'channel,channel' })).toEqual({ issues: [{ field: 'groupBy', reason: 'must name each dimension once' }] });
    expect(engagementQueryOf({ from: '2026-01-01', to: '2026-01-02', groupBy: '' })).toMatchObject({ issues: [{ field: 'groupBy' }] });
  });

  it('reads an interval and the channel and category filters', () => {
    expect(engagementQueryOf({ from: '2026-11-01', to: '2026-11-03', interval: 'hour', channel: 'email', category: 'newsletter' })).toEqual({
      query: { from: new Date('2026-11-01'), to: new Date('2026-11-03'), groupBy: ['channel'], interval: 'hour', channel: 'email', category: 'newsletter' },
    });
    expect(engagementQueryOf({ from: '2026-01-01', to: '2026-04-01', interval: 'day' })).toMatchObject({ query: { interval: 'day' } });
  });

  it('refuses an unknown interval or channel, and hourly buckets over more than 31 days', () => {
    expect(engagementQueryOf({ from: '2026-11-01', to: '2026-11-02', interval: 'week' })).toEqual({ issues: [{ field: 'interval', reason: 'must be hour or day' }] });
    expect(engagementQueryOf({ from: '2026-11-01', to: '2026-12-03', interval: 'hour' })).toEqual({ issues: [{ field: 'to', reason: 'must be at most 31 days after from with interval=hour' }] });
    expect(engagementQueryOf({ from: '2026-11-01', to: '2026-11-02', channel: 'pigeon' })).toEqual({ issues: [{ field: 'channel', reason: 'must be a channel' }] });
  });
});

describe('engagement buckets', () => {
  it('covers the window with UTC hours or days, the first and last cut to it', () => {
    expect(bucketsOf(new Date('2026-11-01T10:30:00Z'), new Date('2026-11-01T12:15:00Z'), 'hour').map((b) => [b.aligned, b.start, b.end].map((d) => d.toISOString()))).toEqual([
      ['2026-11-01T10:00:00.000Z', '2026-11-01T10:30:00.000Z', '2026-11-01T11:00:00.000Z'],
      ['2026-11-01T11:00:00.000Z', '2026-11-01T11:00:00.000Z', '2026-11-01T12:00:00.000Z'],
      ['2026-11-01T12:00:00.000Z', '2026-11-01T12:00:00.000Z', '2026-11-01T12:15:00.000Z'],
    ]);
    const days = bucketsOf(new Date('2026-11-01T00:00:00Z'), new Date('2026-11-04T00:00:00Z'), 'day');
    expect(days.map((b) => b.start.toISOString())).toEqual(['2026-11-01T00:00:00.000Z', '2026-11-02T00:00:00.000Z', '2026-11-03T00:00:00.000Z']);
    expect(days[2].end.toISOString()).toBe('2026-11-04T00:00:00.000Z');
    expect(bucketsOf(new Date('2026-01-01T00:00:00Z'), new Date('2026-02-01T00:00:00Z'), 'hour')).toHaveLength(744);
  });
});
