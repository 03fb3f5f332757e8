import { engagementQueryOf } from './engagement';

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
});
