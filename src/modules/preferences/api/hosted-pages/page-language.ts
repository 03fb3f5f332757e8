import { de } from './catalogues/de';
import { en } from './catalogues/en';
import type { PageStrings } from './page-strings';

/** The languages the hosted pages speak, by language tag. A translation is a catalogue file and a line here. */
export const PAGE_CATALOGUES: Readonly<Record<string, PageStrings>> = { en, de };

/** Spoken when neither the recipient's profile nor the browser names a language there is a catalogue for. */
export const FALLBACK_LANGUAGE = 'en';

export interface PageLanguageInput {
  /** The recipient's profile locale ("de", "de-AT", "pt_BR"), when the page knows the recipient and it has one. */
  profileLocale?: string | null;
  /** The request's Accept-Language header. */
  acceptLanguage?: string | null;
}

/**
 * The language of a hosted page: the recipient's profile locale first (a recipient who said "de-AT" reads German
 * whatever the browser they opened the mail in), then the browser's languages in their order of preference, then
 * English. Each candidate matches a catalogue exactly or by its language ("de-AT" -> "de").
 */
export function choosePageLanguage(input: PageLanguageInput, available: readonly string[] = Object.keys(PAGE_CATALOGUES)): string {
  const candidates = [...(input.profileLocale ? [input.profileLocale] : []), ...acceptedLanguages(input.acceptLanguage)];
  for (const candidate of candidates) {
    const found = matchLanguage(candidate, available);
    if (found) return found;
  }
  return FALLBACK_LANGUAGE;
}

export function pageStrings(input: PageLanguageInput): PageStrings {
  return PAGE_CATALOGUES[choosePageLanguage(input)];
}

function matchLanguage(candidate: string, available: readonly string[]): string | undefined {
  const wanted = candidate.trim().replace(/_/g, '-').toLowerCase();
  const primary = wanted.split('-')[0];
  return available.find((a) => a.toLowerCase() === wanted) ?? available.find((a) => a.toLowerCase() === primary);
}

const LANGUAGE_RANGE = /^[a-z]{1,8}(?:-[a-z0-9]{1,8})*$/i;

/**
 * The language ranges of an Accept-Language header (RFC 9110 §12.5.4), most wanted first: ordered by weight,
 * equal weights in the order given; `q=0` (not acceptable), `*` (any, which English answers anyway) and anything
 * malformed are left out.
 */
export function acceptedLanguages(header: string | null | undefined): string[] {
  if (!header) return [];
  const ranges: Array<{ tag: string; q: number; at: number }> = [];
  header.split(',').forEach((part, at) => {
    const [tag, ...params] = part.split(';').map((s) => s.trim());
    if (!LANGUAGE_RANGE.test(tag)) return;
    let q = 1;
    for (const param of params) {
      const weight = /^q=(0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/i.exec(param);
      if (!weight) return;
      q = Number(weight[1]);
    }
    if (q > 0) ranges.push({ tag, q, at });
  });
  return ranges.sort((a, b) => b.q - a.q || a.at - b.at).map((r) => r.tag);
}
