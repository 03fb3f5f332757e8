import { parseDuration } from '../../domain/notification/retry-policy';

export type Env = Record<string, string | undefined>;

/**
 * Readers of environment settings that record every problem (naming the setting and what was given)
 * in `problems` and return a fallback, so that one start-up reports all bad settings at once.
 */
export function envReader(env: Env, problems: string[]) {
  const raw = (name: string): string => env[name]?.trim() ?? '';
  return {
    str(name: string, required: boolean, fallback = ''): string {
      const v = raw(name);
      if (v) return v;
      if (required) problems.push(`${name} is required`);
      return fallback;
    },
    int(name: string, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
      const v = raw(name);
      if (!v) return fallback;
      const n = Number(v);
      if (!Number.isInteger(n) || n < min || n > max) {
        problems.push(`${name} must be an integer >= ${min}${max < Number.MAX_SAFE_INTEGER ? ` and <= ${max}` : ''} (got "${v}")`);
        return fallback;
      }
      return n;
    },
    duration(name: string, fallbackMs: number): number {
      const v = raw(name);
      if (!v) return fallbackMs;
      const ms = parseDuration(v);
      if (ms === null) problems.push(`${name} must be a duration such as 500ms, 30s, 5m or 1h (got "${v}")`);
      return ms ?? fallbackMs;
    },
    bool(name: string, fallback: boolean): boolean {
      const v = raw(name).toLowerCase();
      if (!v) return fallback;
      if (['true', '1', 'yes'].includes(v)) return true;
      if (['false', '0', 'no'].includes(v)) return false;
      problems.push(`${name} must be true or false (got "${v}")`);
      return fallback;
    },
    /** Checks a URL value already read; records a problem when it is malformed or of another scheme. */
    url(name: string, value: string, protocols: string[]): void {
      if (!value) return;
      try {
        const u = new URL(value);
        if (!protocols.includes(u.protocol)) problems.push(`${name} must use ${protocols.join(' or ')} (got ${u.protocol})`);
      } catch {
        problems.push(`${name} is not a valid URL`);
      }
    },
  };
}
