import type { Channel } from '../notification/channel';
import { CHANNELS } from '../notification/channel';
import type { NotificationContent } from '../notification/notification-request';

/** A request's reference to a template instead of literal content. */
export interface TemplateReference {
  key: string;
  data: Record<string, unknown>;
  /** Wanted locale; otherwise the recipient's, otherwise the template's default. */
  locale?: string;
}

/** Per-channel variants whose strings are template source (same shape as literal content). */
export type TemplateVariants = NotificationContent;

/** One published, immutable version of a template. */
export interface TemplateVersion {
  id: string;
  key: string;
  version: number;
  description: string;
  defaultLocale: string;
  /** Top-level keys of `data` every render needs. */
  variables: string[];
  locales: Record<string, TemplateVariants>;
  createdAt: Date;
}

export type NewTemplateVersion = Omit<TemplateVersion, 'id' | 'version' | 'createdAt'>;

/** Locales to try, best first: exact match, then its language ("fr-CA" -> "fr"), then the default. */
export function localeChain(available: string[], wanted: string | null | undefined, defaultLocale: string): string[] {
  const chain: string[] = [];
  const add = (candidate: string | undefined) => {
    const found = candidate && available.find((a) => a.toLowerCase() === candidate.toLowerCase());
    if (found && !chain.includes(found)) chain.push(found);
  };
  if (wanted) {
    add(wanted);
    add(wanted.split(/[-_]/)[0]);
  }
  add(defaultLocale);
  return chain;
}

/** For each channel, the source variant to render and the locale it came from. */
export function pickVariants(
  template: TemplateVersion,
  channels: readonly Channel[],
  wanted: string | null | undefined,
): Partial<Record<Channel, { locale: string; source: NonNullable<TemplateVariants[Channel]> }>> {
  const chain = localeChain(Object.keys(template.locales), wanted, template.defaultLocale);
  const out: Partial<Record<Channel, { locale: string; source: NonNullable<TemplateVariants[Channel]> }>> = {};
  for (const channel of channels) {
    for (const locale of chain) {
      const source = template.locales[locale]?.[channel];
      if (source) {
        out[channel] = { locale, source };
        break;
      }
    }
  }
  return out;
}

export function missingVariables(template: Pick<TemplateVersion, 'variables'>, data: Record<string, unknown>): string[] {
  return template.variables.filter((v) => data[v] === undefined || data[v] === null);
}

/** Channels for which the template has a variant in some locale. */
export function channelsOf(template: TemplateVersion): Channel[] {
  return CHANNELS.filter((c) => Object.values(template.locales).some((variants) => variants[c]));
}
