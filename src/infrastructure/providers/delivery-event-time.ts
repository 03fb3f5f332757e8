/** A provider's event time (Unix seconds or an ISO string), or `fallback` when it has none or an unreadable one. */
export function eventTime(value: unknown, fallback: Date): Date {
  const d = typeof value === 'number' ? new Date(value * 1000) : typeof value === 'string' ? new Date(value) : null;
  return d && !Number.isNaN(d.getTime()) ? d : fallback;
}
