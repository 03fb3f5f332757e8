/** A daily window in local time, e.g. 22:00-08:00 (it may wrap past midnight). Minutes after midnight. */
export interface QuietHoursWindow {
  startMinute: number;
  endMinute: number;
  text: string;
}

/** Parses "HH:MM-HH:MM"; null when malformed or empty (start equals end). */
export function parseQuietHours(text: string): QuietHoursWindow | null {
  const m = /^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$/.exec(text.trim());
  if (!m) return null;
  const startMinute = Number(m[1]) * 60 + Number(m[2]);
  const endMinute = Number(m[3]) * 60 + Number(m[4]);
  if (startMinute === endMinute) return null;
  return { startMinute, endMinute, text: text.trim() };
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** Seconds since local midnight of `at` in `timeZone`. */
function localSecondOfDay(at: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return get('hour') * 3600 + get('minute') * 60 + get('second');
}

/**
 * When the quiet window containing `now` ends, in the recipient's time zone; null when `now` is outside
 * it. The end is computed from the local wall clock at `now`, so a daylight-saving change inside the
 * window can move it by the size of the change.
 */
export function quietHoursEnd(now: Date, timeZone: string, window: QuietHoursWindow): Date | null {
  const second = localSecondOfDay(now, timeZone);
  const start = window.startMinute * 60;
  const end = window.endMinute * 60;
  const inside = start < end ? second >= start && second < end : second >= start || second < end;
  if (!inside) return null;
  const wait = (end - second + 86_400) % 86_400;
  return new Date(now.getTime() + wait * 1000 - now.getMilliseconds());
}
