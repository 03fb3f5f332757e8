import type { Channel } from './channel';
import { CHANNELS } from './channel';
import { CATEGORY_NAME_PATTERN } from './patterns';
import { parseDuration } from './retry-policy';

/** category.channel=max/window[:suppress|:defer], the category as anywhere else or `*`. */
const LIMIT = new RegExp(`^(${CATEGORY_NAME_PATTERN.source.slice(1, -1)}|\\*)\\.([a-z*]+)=(\\d+)\\/(\\w+)(?::(suppress|defer))?$`);

/** The category of a limit that counts every notification, whatever its category and with none. */
export const EVERY_CATEGORY = '*';

/**
 * At most `max` notifications of `category` (or of every category, and none: `*`) on `channel` (or any channel)
 * to one recipient per `windowMs`.
 */
export interface PolitenessLimit {
  category: string;
  channel: Channel | '*';
  max: number;
  windowMs: number;
  /** Over the limit: `suppress` (default) drops it with the reason; `defer` sends it once the window allows. */
  overLimit: 'suppress' | 'defer';
  text: string;
}

/**
 * Parses "marketing.email=3/24h, digest.*=1/1h:defer, *.*=20/24h": category.channel=max/window[:suppress|:defer].
 * Returns the limits, or the items that could not be read.
 */
export function parsePolitenessLimits(text: string): { limits: PolitenessLimit[]; bad: string[] } {
  const limits: PolitenessLimit[] = [];
  const bad: string[] = [];
  for (const item of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const m = LIMIT.exec(item);
    const windowMs = m ? windowOf(m[4]) : null;
    const channel = m?.[2];
    if (!m || !windowMs || (channel !== '*' && !(CHANNELS as readonly string[]).includes(channel!)) || Number(m[3]) < 1) {
      bad.push(item);
      continue;
    }
    limits.push({ category: m[1], channel: channel as Channel | '*', max: Number(m[3]), windowMs, overLimit: (m[5] as 'suppress' | 'defer' | undefined) ?? 'suppress', text: item });
  }
  return { limits, bad };
}

/** A window: a duration (30m, 24h) or days (1d, 7d). */
function windowOf(text: string): number | null {
  const days = /^(\d+)d$/.exec(text);
  return days ? Number(days[1]) * 86_400_000 : parseDuration(text);
}

/**
 * The limits that apply to a notification, each of which it must pass: its category's (the channel-specific one
 * first, then the category's `*` one; none without a category), and the one across every category (`*.<channel>`
 * first, then `*.*`), which counts uncategorised notifications too.
 */
export function limitsFor(limits: readonly PolitenessLimit[], category: string | null, channel: Channel): PolitenessLimit[] {
  const mostSpecific = (c: string) => limits.find((l) => l.category === c && l.channel === channel) ?? limits.find((l) => l.category === c && l.channel === '*');
  const own = category ? mostSpecific(category) : undefined;
  const everything = mostSpecific(EVERY_CATEGORY);
  return [own, everything].filter((l): l is PolitenessLimit => l !== undefined);
}

export type PolitenessVerdict = { kind: 'proceed' } | { kind: 'suppress'; reason: string } | { kind: 'defer'; until: Date; reason: string };

/**
 * Decides one notification given what was already sent in the window: `sentInWindow` sends, the oldest
 * at `oldestSentAt`, plus `admittedBefore` earlier notifications of the same batch that this decision
 * already let through.
 */
export function decidePoliteness(
  limit: PolitenessLimit,
  sentInWindow: number,
  oldestSentAt: Date | null,
  admittedBefore: number,
  now: Date,
): PolitenessVerdict {
  if (sentInWindow + admittedBefore < limit.max) return { kind: 'proceed' };
  const reason = `politeness limit ${limit.text}: ${sentInWindow + admittedBefore} already sent in the window`;
  if (limit.overLimit === 'suppress') return { kind: 'suppress', reason };
  const until = new Date((oldestSentAt ?? now).getTime() + limit.windowMs);
  return { kind: 'defer', until: until > now ? until : new Date(now.getTime() + limit.windowMs), reason: `${reason}; deferred` };
}

/** One verdict from those of every limit that applies: a suppression wins, then the latest deferral. */
export function strictestVerdict(verdicts: readonly PolitenessVerdict[]): PolitenessVerdict {
  const suppressed = verdicts.find((v) => v.kind === 'suppress');
  if (suppressed) return suppressed;
  const deferrals = verdicts.filter((v): v is Extract<PolitenessVerdict, { kind: 'defer' }> => v.kind === 'defer');
  if (deferrals.length === 0) return { kind: 'proceed' };
  return deferrals.reduce((latest, v) => (v.until > latest.until ? v : latest));
}
