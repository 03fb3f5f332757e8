import { parseQuietHours, quietHoursEnd } from './quiet-hours';

describe('quiet hours', () => {
  const night = parseQuietHours('22:00-08:00')!;

  it('parses HH:MM-HH:MM and refuses malformed or empty windows', () => {
    expect(night).toEqual({ startMinute: 22 * 60, endMinute: 8 * 60, text: '22:00-08:00' });
    for (const bad of ['22-08', '24:00-08:00', '22:00-22:00', '', '10:00 - 11:00x']) expect(parseQuietHours(bad)).toBeNull();
  });

  it('defers to the end of a window that wraps past midnight, in the recipient time zone', () => {
    // 23:30 in Paris (UTC+1 in winter) is 22:30 UTC; the window ends at 08:00 Paris = 07:00 UTC next day.
    expect(quietHoursEnd(new Date('2026-01-15T22:30:00Z'), 'Europe/Paris', night)).toEqual(new Date('2026-01-16T07:00:00Z'));
    // 03:15 in New York (UTC-5) ends at 08:00 the same day.
    expect(quietHoursEnd(new Date('2026-01-15T08:15:00Z'), 'America/New_York', night)).toEqual(new Date('2026-01-15T13:00:00Z'));
  });

  it('lets a notification through outside the window, and at its exact end', () => {
    expect(quietHoursEnd(new Date('2026-01-15T12:00:00Z'), 'Europe/Paris', night)).toBeNull();
    expect(quietHoursEnd(new Date('2026-01-15T07:00:00Z'), 'Europe/Paris', night)).toBeNull();
    expect(quietHoursEnd(new Date('2026-01-15T21:00:00Z'), 'Europe/Paris', night)).toEqual(new Date('2026-01-16T07:00:00Z'));
  });

  it('handles a window inside one day', () => {
    const lunch = parseQuietHours('12:00-13:30')!;
    expect(quietHoursEnd(new Date('2026-06-01T12:45:10.500Z'), 'UTC', lunch)).toEqual(new Date('2026-06-01T13:30:00Z'));
    expect(quietHoursEnd(new Date('2026-06-01T13:30:00Z'), 'UTC', lunch)).toBeNull();
    expect(quietHoursEnd(new Date('2026-06-01T11:59:59Z'), 'UTC', lunch)).toBeNull();
  });
});
