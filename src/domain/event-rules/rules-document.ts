import { CHANNELS, type Channel } from '../notification/channel';
import { placeholdersOf, STREAM_EVENT_NAMES, type Condition, type MappingRule, type RuleMatch, type RuleNotify, type RuleTemplate, type RuleWorkflow, type StreamEventName } from './mapping-rule';
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
      problems.push(`rules[${i}] must be an object with name, match and notify (or workflow)`);
      return;
    }
    const before = problems.length;
    const name = typeof raw.name === 'string' ? raw.name : '';
    // Problems name the rule as well as its place, so that one is found in a long file.
    const at = RULE_NAME.test(name) ? `rules[${i}] (${name})` : `rules[${i}]`;
    unknownKeys(raw, ['name', 'match', 'notify', 'workflow'], at, problems);
    if (!RULE_NAME.test(name)) problems.push(`${at}.name must be 1-64 letters, digits, ".", "_" or "-"`);
    else if (names.has(name)) problems.push(`${at}.name is used by another rule`);
    names.add(name);
    const match = parseMatch(raw.match, `${at}.match`, problems);
    if (raw.notify !== undefined && raw.workflow !== undefined) {
      problems.push(`${at}: give notify or workflow, not both`);
    } else if (raw.workflow !== undefined) {
      const workflow = parseWorkflow(raw.workflow, `${at}.workflow`, problems);
      if (problems.length === before && match && workflow) rules.push({ name, match, workflow });
    } else {
      const notify = parseNotify(raw.notify, `${at}.notify`, problems);
      if (problems.length === before && match && notify) rules.push({ name, match, notify });
    }
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

function parseRecipient(raw: unknown, at: string, problems: string[]): RuleNotify['recipient'] {
  const recipient: RuleNotify['recipient'] = {};
  if (!isObj(raw) || Object.keys(raw).length === 0) {
    problems.push(`${at} must map ${RECIPIENT_FIELDS.join(', ')} to attribute paths`);
  } else {
    for (const [field, path] of Object.entries(raw)) {
      if (!(RECIPIENT_FIELDS as readonly string[]).includes(field)) problems.push(`${at}.${field}: unknown field; use ${RECIPIENT_FIELDS.join(', ')}`);
      else if (typeof path !== 'string' || !path) problems.push(`${at}.${field} must be an attribute path such as new.email`);
      else recipient[field as (typeof RECIPIENT_FIELDS)[number]] = path;
    }
  }
  return recipient;
}

/** `data` of a template, `payload` of a workflow: one path whose map is the whole, or field -> attribute path. */
function parseDataPaths(raw: unknown, at: string, example: string, problems: string[]): Record<string, string> | string | null {
  if (typeof raw === 'string' && raw) return raw;
  if (!isObj(raw)) return null;
  const paths: Record<string, string> = {};
  for (const [field, path] of Object.entries(raw)) {
    if (typeof path !== 'string' || !path) problems.push(`${at}.${field} must be an attribute path such as ${example}`);
    else paths[field] = path;
  }
  return paths;
}

function parseWorkflow(raw: unknown, at: string, problems: string[]): RuleWorkflow | null {
  if (!isObj(raw)) {
    problems.push(`${at} must be an object with key, recipient (or topic) and payload, e.g. { key: order-updates, recipient: { userId: new.customerId }, payload: new }`);
    return null;
  }
  unknownKeys(raw, ['key', 'recipient', 'topic', 'payload', 'runKey'], at, problems);
  const before = problems.length;
  if (typeof raw.key !== 'string' || !KEY_PATTERN.test(raw.key)) {
    problems.push(`${at}.key must be a workflow key (lower-case letters, digits, "_", ".", ":" or "-"; up to 128)`);
  }
  let recipient: RuleWorkflow['recipient'];
  let topic: string | undefined;
  if (raw.recipient !== undefined && raw.topic !== undefined) {
    problems.push(`${at}: give recipient or topic, not both`);
  } else if (raw.topic !== undefined) {
    if (typeof raw.topic !== 'string' || !(placeholdersOf(raw.topic).length > 0 || KEY_PATTERN.test(raw.topic))) {
      problems.push(`${at}.topic must be a topic key, or {{path}} giving one (e.g. "post-{{new.postId}}")`);
    } else topic = raw.topic;
  } else if (raw.recipient === undefined) {
    problems.push(`${at}.recipient (or topic) is required: map ${RECIPIENT_FIELDS.join(', ')} to attribute paths`);
  } else {
    recipient = parseRecipient(raw.recipient, `${at}.recipient`, problems);
  }
  const payload = parseDataPaths(raw.payload, `${at}.payload`, 'new.postId', problems);
  if (payload === null) problems.push(`${at}.payload must be one path whose map is the payload (e.g. new), or map payload fields to attribute paths`);
  if (raw.runKey !== undefined && (typeof raw.runKey !== 'string' || !raw.runKey.trim() || raw.runKey.length > 200)) {
    problems.push(`${at}.runKey must be text of up to 200 characters, with optional {{path}} placeholders (e.g. "post-{{new.postId}}")`);
  }
  if (problems.length > before) return null;
  return {
    key: raw.key as string,
    ...(recipient ? { recipient } : {}),
    ...(topic !== undefined ? { topic } : {}),
    payload: payload!,
    ...(typeof raw.runKey === 'string' ? { runKey: raw.runKey } : {}),
  };
}

function parseNotify(raw: unknown, at: string, problems: string[]): RuleNotify | null {
  if (!isObj(raw)) {
    problems.push(`${at} must be an object with recipient, channels and content (or template); or give workflow instead of notify`);
    return null;
  }
  unknownKeys(raw, ['recipient', 'channels', 'content', 'template', 'category', 'metadata'], at, problems);
  const recipient = parseRecipient(raw.recipient, `${at}.recipient`, problems);
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
  const data = raw.data === undefined ? {} : parseDataPaths(raw.data, `${at}.data`, 'new.customerName', problems);
  if (data === null) {
    problems.push(`${at}.data must map template variables to attribute paths, or be one path whose map is the data (e.g. new)`);
  }
  if (raw.locale !== undefined && (typeof raw.locale !== 'string' || !raw.locale.trim())) {
    problems.push(`${at}.locale must be a locale such as fr, or {{path}} giving one (e.g. "{{new.locale}}")`);
  } else if (typeof raw.locale === 'string' && placeholdersOf(raw.locale).length === 0 && !LOCALE_PATTERN.test(raw.locale)) {
    problems.push(`${at}.locale: "${raw.locale}" is not a BCP 47 language tag such as en or fr-CA`);
  }
  if (problems.length > before) return null;
  return { key: raw.key as string, data: data!, ...(typeof raw.locale === 'string' ? { locale: raw.locale } : {}) };
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
