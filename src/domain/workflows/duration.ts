/** The longest wait a workflow step may ask for (a delay, a digest window, an outcome wait, a throttle window). */
export const MAX_WORKFLOW_DURATION_MS = 366 * 24 * 3_600_000;

const SHORT = /^(\d+(?:\.\d+)?)(ms|s|m|h|d|w)$/;
const ISO = /^P(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;
const FACTOR = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;

/**
 * A workflow duration in milliseconds: `500ms`, `30s`, `30m`, `1h`, `1d`, `2w`, or an ISO 8601 duration without
 * years and months (`PT1H30M`, `P1D`), whose length would depend on the calendar. Null when it is none of these,
 * zero, or longer than a year.
 */
export function parseWorkflowDuration(text: unknown): number | null {
  if (typeof text !== 'string') return null;
  const s = text.trim();
  let ms: number | null = null;
  const short = SHORT.exec(s);
  if (short) ms = Number(short[1]) * FACTOR[short[2] as keyof typeof FACTOR];
  const iso = short ? null : ISO.exec(s);
  if (iso && s !== 'P' && !s.endsWith('T')) {
    const [, w, d, h, m, sec] = iso.map((v) => (v === undefined ? 0 : Number(v)));
    ms = w * FACTOR.w + d * FACTOR.d + h * FACTOR.h + m * FACTOR.m + sec * FACTOR.s;
  }
  if (ms === null || !Number.isFinite(ms)) return null;
  ms = Math.round(ms);
  return ms > 0 && ms <= MAX_WORKFLOW_DURATION_MS ? ms : null;
}
