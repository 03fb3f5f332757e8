import { CHANNELS, type Channel } from '../notification/channel';
import { placeholdersOf, STREAM_EVENT_NAMES, type Condition, type MappingRule, type RuleMatch, type RuleTemplate, type StreamEventName } from './mapping-rule';
import { CATEGORY_NAME_PATTERN, KEY_PATTERN, LOCALE_PATTERN } from '../notification/patterns';

const RECIPIENT_FIELDS = ['userId', 'email', 'phone'] as const;
const RULE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
/** As the templates API accepts them. */

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Checks a parsed rules document (`{ rules: [...] }`) and returns the rules, or every problem found,
 * each naming where it is (`rules[2].notify.channels`).
 */
export function parseRulesDocument(doc: unknown): { rules: MappingRule[]; problems: string[] } {
  const problems: string[] = [];
  if (!isObj(doc) || !Array.isArray(doc.rules)) return { rules: [], problems: ['the file must hold an object with a "rules" list'] };
  const rules: MappingRule[] = [];
  const names = new Set<string>();
  doc.rules.forEach((raw: unknown, i) => {
    if (!isObj(raw)) {
      problems.push(`rules[${i}] must be an object with name, match and notify`);
      return;
    }
    const before = problems.length;
    const name = typeof raw.name === 'string' ? raw.name : '';
    // Problems name the rule as well as its place, so that one is found in a long file.
    const at = RULE_NAME.test(name) ? `rules[${i}] (${name})` : `rules[${i}]`;
    unknownKeys(raw, ['name', 'match', 'notify'], at, problems);
    if (!RULE_NAME.test(name)) problems.push(`${at}.name must be 1-64 letters, digits, ".", "_" or "-"`);
    else if (names.has(name)) problems.push(`${at}.name is used by another rule`);
    names.add(name);
    const match = parseMatch(raw.match, `${at}.match`, problems);
    const notify = parseNotify(raw.notify, `${at}.notify`, problems);
    if (problems.length === before && match && notify) rules.push({ name, match, notify });
  });
  return { rules: problems.length ? [] : rules, problems };
}

function parseMatch(raw: unknown, at: string, problems: string[]): RuleMatch | null {
  if (raw === undefined) return { when: [] };
  if (!isObj(raw)) {
    problems.push(`${at} must be an object`);
    return null;
  }
  unknownKeys(raw, ['table', 'eventName', 'source', 'detailType', 'when'], at, problems);
  const match: RuleMatch = { when: [] };
  const table = stringList(raw.table, `${at}.table`, problems);
  if (table) match.table = table;
  const eventName = stringList(raw.eventName, `${at}.eventName`, problems);
  if (eventName) {
    const bad = eventName.filter((e) => !(STREAM_EVENT_NAMES as readonly string[]).includes(e));
    if (bad.length) problems.push(`${at}.eventName: unknown ${bad.join(', ')}; use ${STREAM_EVENT_NAMES.join(', ')}`);
    match.eventName = eventName as StreamEventName[];
  }
  const source = stringList(raw.source, `${at}.source`, problems);
  if (source) match.source = source;
  const detailType = stringList(raw.detailType, `${at}.detailType`, problems);
  if (detailType) match.detailType = detailType;
  if (raw.when !== undefined) {
    if (!Array.isArray(raw.when)) problems.push(`${at}.when must be a list of conditions`);
    else raw.when.forEach((c: unknown, i) => {
      const condition = parseCondition(c, `${at}.when[${i}]`, problems);
      if (condition) match.when.push(condition);
    });
  }
  return match;
}

function parseCondition(raw: unknown, at: string, problems: string[]): Condition | null {
  if (!isObj(raw)) {
    problems.push(`${at} must be an object such as { path: new.status, equals: shipped } or { changed: status, from: pending, to: shipped }`);
    return null;
  }
  if ('changed' in raw) {
    unknownKeys(raw, ['changed', 'from', 'to'], at, problems);
    if (typeof raw.changed !== 'string' || !raw.changed) {
      problems.push(`${at}.changed must name an attribute (compared between the old and the new image)`);
      return null;
    }
    return { changed: raw.changed, ...('from' in raw ? { from: raw.from } : {}), ...('to' in raw ? { to: raw.to } : {}) };
  }
  if (typeof raw.path !== 'string' || !raw.path) {
    problems.push(`${at}.path must be an attribute path such as new.status`);
    return null;
  }
  const tests = ['equals', 'notEquals', 'in', 'exists'].filter((k) => k in raw);
  unknownKeys(raw, ['path', 'equals', 'notEquals', 'in', 'exists'], at, problems);
  if (tests.length !== 1) {
    problems.push(`${at} needs exactly one of equals, notEquals, in, exists`);
    return null;
  }
  const path = raw.path;
  switch (tests[0]) {
    case 'equals':
      return { path, equals: raw.equals };
    case 'notEquals':
      return { path, notEquals: raw.notEquals };
    case 'in':
      if (!Array.isArray(raw.in)) {
        problems.push(`${at}.in must be a list`);
        return null;
      }
      return { path, in: raw.in as unknown[] };
    default:
      if (typeof raw.exists !== 'boolean') {
        problems.push(`${at}.exists must be true or false`);
        return null;
      }
      return { path, exists: raw.exists };
  }
}

function parseNotify(raw: unknown, at: string, problems: string[]): MappingRule['notify'] | null {
  if (!isObj(raw)) {
    problems.push(`${at} must be an object with recipient, channels and content (or template)`);
    return null;
  }
  unknownKeys(raw, ['recipient', 'channels', 'content', 'template', 'category', 'metadata'], at, problems);
  const recipient: MappingRule['notify']['recipient'] = {};
  if (!isObj(raw.recipient) || Object.keys(raw.recipient).length === 0) {
    problems.push(`${at}.recipient must map ${RECIPIENT_FIELDS.join(', ')} to attribute paths`);
  } else {
    for (const [field, path] of Object.entries(raw.recipient)) {
      if (!(RECIPIENT_FIELDS as readonly string[]).includes(field)) problems.push(`${at}.recipient.${field}: unknown field; use ${RECIPIENT_FIELDS.join(', ')}`);
      else if (typeof path !== 'string' || !path) problems.push(`${at}.recipient.${field} must be an attribute path such as new.email`);
      else recipient[field as (typeof RECIPIENT_FIELDS)[number]] = path;
    }
  }
  const channels = stringList(raw.channels, `${at}.channels`, problems) ?? [];
  if (channels.length === 0) problems.push(`${at}.channels must name at least one channel`);
  const unknownChannels = channels.filter((c) => !(CHANNELS as readonly string[]).includes(c));
  if (unknownChannels.length) problems.push(`${at}.channels: unknown ${unknownChannels.join(', ')}; use ${CHANNELS.join(', ')}`);
  let content: Record<string, Record<string, string>> | undefined;
  let template: RuleTemplate | undefined;
  if (raw.content !== undefined && raw.template !== undefined) {
    problems.push(`${at}: give content or template, not both`);
  } else if (raw.template !== undefined) {
    template = parseTemplate(raw.template, `${at}.template`, problems) ?? undefined;
  } else if (!isObj(raw.content)) {
    problems.push(`${at}.content must give the content of each channel, e.g. { email: { subject: ..., text: ... } } (or use template)`);
  } else {
    content = {};
    for (const [channel, fields] of Object.entries(raw.content)) {
      if (!channels.includes(channel)) problems.push(`${at}.content.${channel}: not one of the rule's channels`);
      if (!isObj(fields)) {
        problems.push(`${at}.content.${channel} must map fields to text`);
        continue;
      }
      content[channel] = {};
      for (const [field, text] of Object.entries(fields)) {
        if (typeof text !== 'string') problems.push(`${at}.content.${channel}.${field} must be text (with optional {{path}} placeholders)`);
        else content[channel][field] = text;
      }
    }
    for (const channel of channels) if (!(channel in raw.content)) problems.push(`${at}.content.${channel} is missing`);
  }
  let category: string | undefined;
  if (raw.category !== undefined) {
    if (typeof raw.category !== 'string' || !CATEGORY_NAME_PATTERN.test(raw.category)) problems.push(`${at}.category must be 1-64 lower-case letters, digits, ".", "_" or "-"`);
    else category = raw.category;
  }
  let metadata: Record<string, string> | undefined;
  if (raw.metadata !== undefined) {
    if (!isObj(raw.metadata)) problems.push(`${at}.metadata must map keys to attribute paths`);
    else {
      metadata = {};
      for (const [key, path] of Object.entries(raw.metadata)) {
        if (typeof path !== 'string' || !path) problems.push(`${at}.metadata.${key} must be an attribute path`);
        else metadata[key] = path;
      }
    }
  }
  return { recipient, channels: channels as Channel[], ...(content ? { content } : {}), ...(template ? { template } : {}), ...(category ? { category } : {}), ...(metadata ? { metadata } : {}) };
}

function parseTemplate(raw: unknown, at: string, problems: string[]): RuleTemplate | null {
  if (!isObj(raw)) {
    problems.push(`${at} must be an object with key, data and optionally locale, e.g. { key: order-shipped, data: { name: new.customerName } }`);
    return null;
  }
  unknownKeys(raw, ['key', 'data', 'locale'], at, problems);
  const before = problems.length;
  if (typeof raw.key !== 'string' || !KEY_PATTERN.test(raw.key)) {
    problems.push(`${at}.key must be a template key (lower-case letters, digits, "_", ".", ":" or "-"; up to 128)`);
  }
  let data: RuleTemplate['data'] = {};
  if (typeof raw.data === 'string' && raw.data) {
    data = raw.data;
  } else if (isObj(raw.data)) {
    const paths: Record<string, string> = {};
    for (const [variable, path] of Object.entries(raw.data)) {
      if (typeof path !== 'string' || !path) problems.push(`${at}.data.${variable} must be an attribute path such as new.customerName`);
      else paths[variable] = path;
    }
    data = paths;
  } else if (raw.data !== undefined) {
    problems.push(`${at}.data must map template variables to attribute paths, or be one path whose map is the data (e.g. new)`);
  }
  if (raw.locale !== undefined && (typeof raw.locale !== 'string' || !raw.locale.trim())) {
    problems.push(`${at}.locale must be a locale such as fr, or {{path}} giving one (e.g. "{{new.locale}}")`);
  } else if (typeof raw.locale === 'string' && placeholdersOf(raw.locale).length === 0 && !LOCALE_PATTERN.test(raw.locale)) {
    problems.push(`${at}.locale: "${raw.locale}" is not a BCP 47 language tag such as en or fr-CA`);
  }
  if (problems.length > before) return null;
  return { key: raw.key as string, data, ...(typeof raw.locale === 'string' ? { locale: raw.locale } : {}) };
}

function stringList(raw: unknown, at: string, problems: string[]): string[] | null {
  if (raw === undefined) return null;
  const list = typeof raw === 'string' ? [raw] : raw;
  if (!Array.isArray(list) || list.length === 0 || list.some((v) => typeof v !== 'string' || !v)) {
    problems.push(`${at} must be a name or a non-empty list of names`);
    return null;
  }
  return list as string[];
}

function unknownKeys(raw: Obj, known: string[], at: string, problems: string[]): void {
  for (const key of Object.keys(raw)) if (!known.includes(key)) problems.push(`${at}.${key}: unknown key; expected ${known.join(', ')}`);
}
