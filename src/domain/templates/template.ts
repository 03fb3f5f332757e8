import type { Channel } from '../notification/channel';
import type { FieldIssue } from '../errors/domain-errors';
import { CHANNELS } from '../notification/channel';
import type { NotificationContent } from '../notification/notification-request';

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

/** A template as a listing shows it: what its latest version holds, without the variants themselves. */
export interface TemplateSummary {
  key: string;
  latestVersion: number;
  description: string;
  defaultLocale: string;
  locales: string[];
  channels: Channel[];
  /** When the latest version was published. */
  updatedAt: Date;
}

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

export function summaryOf(latest: TemplateVersion, updatedAt: Date): TemplateSummary {
  return {
    key: latest.key,
    latestVersion: latest.version,
    description: latest.description,
    defaultLocale: latest.defaultLocale,
    locales: Object.keys(latest.locales).sort(),
    channels: channelsOf(latest),
    updatedAt,
  };
}

const VARIANT_FIELDS: Record<Channel, { required: string[]; optional: string[] }> = {
  email: { required: ['subject'], optional: ['html', 'text'] },
  sms: { required: ['text'], optional: [] },
  push: { required: ['title', 'body'], optional: ['data'] },
  webpush: { required: ['title', 'body'], optional: ['url', 'icon'] },
  chat: { required: ['text'], optional: ['blocks'] },
  inapp: { required: ['title', 'body'], optional: ['actionUrl'] },
};

/** Shape of a template's locales: known channels, required fields present, strings where strings belong. */
export function checkTemplateVariants(locales: unknown, defaultLocale: string): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (!locales || typeof locales !== 'object' || Array.isArray(locales)) return [{ field: 'locales', reason: 'must map locales to channel variants' }];
  const entries = Object.entries(locales as Record<string, unknown>);
  if (entries.length === 0) issues.push({ field: 'locales', reason: 'must contain at least one locale' });
  if (!(defaultLocale in (locales as object))) issues.push({ field: 'defaultLocale', reason: `"${defaultLocale}" has no entry in locales` });
  for (const [locale, variants] of entries) {
    const at = `locales.${locale}`;
    if (!/^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/.test(locale)) issues.push({ field: at, reason: 'is not a BCP 47 language tag' });
    if (!variants || typeof variants !== 'object' || Array.isArray(variants)) {
      issues.push({ field: at, reason: 'must map channels to variants' });
      continue;
    }
    for (const [channel, variant] of Object.entries(variants as Record<string, unknown>)) {
      if (!(CHANNELS as readonly string[]).includes(channel)) {
        issues.push({ field: `${at}.${channel}`, reason: 'is not a known channel' });
        continue;
      }
      const fields = VARIANT_FIELDS[channel as Channel];
      if (!variant || typeof variant !== 'object' || Array.isArray(variant)) {
        issues.push({ field: `${at}.${channel}`, reason: `must be an object with ${fields.required.join(', ')}` });
        continue;
      }
      const v = variant as Record<string, unknown>;
      for (const f of fields.required) if (typeof v[f] !== 'string' || v[f] === '') issues.push({ field: `${at}.${channel}.${f}`, reason: 'is required (a non-empty string)' });
      for (const [f, value] of Object.entries(v)) {
        if (!fields.required.includes(f) && !fields.optional.includes(f)) issues.push({ field: `${at}.${channel}.${f}`, reason: 'is not a field of this variant' });
        else if (f === 'blocks') {
          if (!Array.isArray(value)) issues.push({ field: `${at}.${channel}.${f}`, reason: 'must be an array' });
        } else if (f === 'data') {
          if (!value || typeof value !== 'object' || Object.values(value).some((x) => typeof x !== 'string')) {
            issues.push({ field: `${at}.${channel}.${f}`, reason: 'must map keys to strings' });
          }
        } else if (typeof value !== 'string') issues.push({ field: `${at}.${channel}.${f}`, reason: 'must be a string' });
      }
      if (channel === 'email' && v.html === undefined && v.text === undefined) issues.push({ field: `${at}.email`, reason: 'needs html or text' });
    }
  }
  return issues;
}
