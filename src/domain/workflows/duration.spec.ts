import { MAX_WORKFLOW_DURATION_MS, parseWorkflowDuration } from './duration';

describe('parseWorkflowDuration', () => {
  it.each([
    ['500ms', 500],
    ['30s', 30_000],
    ['30m', 1_800_000],
    ['1h', 3_600_000],
    ['1.5h', 5_400_000],
    ['1d', 86_400_000],
    ['2w', 1_209_600_000],
    ['PT1H', 3_600_000],
    ['PT1H30M', 5_400_000],
    ['PT0.5S', 500],
    ['P1D', 86_400_000],
    ['P1DT2H', 93_600_000],
    ['P1W', 604_800_000],
  ])('reads %s', (text, ms) => {
    expect(parseWorkflowDuration(text)).toBe(ms);
  });

  it.each(['', 'soon', '10', '-1h', '0s', 'PT0S', 'P', 'PT', 'P1M', 'P1Y', '1 h', 'PT1H2', '400d'])('refuses %p', (text) => {
    expect(parseWorkflowDuration(text)).toBeNull();
  });

  it('refuses what is not a string, and accepts a year at most', () => {
    expect(parseWorkflowDuration(60)).toBeNull();
    expect(parseWorkflowDuration(null)).toBeNull();
    expect(parseWorkflowDuration('366d')).toBe(MAX_WORKFLOW_DURATION_MS);
    expect(parseWorkflowDuration('367d')).toBeNull();
  });
});
