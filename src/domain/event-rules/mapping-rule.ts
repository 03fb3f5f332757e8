import type { Channel } from '../notification/channel';
import type { NotificationRequest, Recipient, TemplateReference } from '../notification/notification-request';

export const STREAM_EVENT_NAMES = ['INSERT', 'MODIFY', 'REMOVE'] as const;
export type StreamEventName = (typeof STREAM_EVENT_NAMES)[number];

/** A test on the event's document. Paths are dotted (`new.status`, `detail.items.0.sku`). */
export type Condition =
  | { path: string; equals: unknown }
  | { path: string; notEquals: unknown }
  | { path: string; in: unknown[] }
  | { path: string; exists: boolean }
  /** `old.<attribute>` differs from `new.<attribute>`, optionally from one given value to another. */
  | { changed: string; from?: unknown; to?: unknown };

export interface RuleMatch {
  /** Table names (stream records only). */
  table?: string[];
  eventName?: StreamEventName[];
  /** EventBridge `source` values (intake only). */
  source?: string[];
  /** EventBridge `detail-type` values (intake only). */
  detailType?: string[];
  /** Every condition must hold. */
  when: Condition[];
}

/** The recipient fields a rule can read from an event (others come from the recipient's stored profile). */
export type RecipientAddressField = 'userId' | 'email' | 'phone';

export interface RuleNotify {
  /** Attribute paths giving the recipient. */
  recipient: Partial<Record<RecipientAddressField, string>>;
  channels: Channel[];
  /** Per-channel content; every string may hold `{{path}}` placeholders filled from the document. One of content or template. */
  content?: Record<string, Record<string, string>>;
  /** A stored template, rendered when the notification is accepted (as for API requests). One of content or template. */
  template?: RuleTemplate;
  category?: string;
  /** Metadata key -> attribute path. */
  metadata?: Record<string, string>;
}

export interface RuleTemplate {
  key: string;
  /** Template variable -> attribute path; or one path whose map becomes the whole of the data (`new`). */
  data: Record<string, string> | string;
  /**
   * A locale (`fr`) or `{{path}}` giving one. When absent, or empty in the event, the recipient's profile locale
   * applies, then the template's default.
   */
  locale?: string;
}

/** Starts a workflow for the event: one run per recipient (one, or each subscriber of the topic). */
export interface RuleWorkflow {
  /** The workflow's key; its latest version runs. */
  key: string;
  /** Attribute paths giving the recipient. One of recipient or topic. */
  recipient?: Partial<Record<RecipientAddressField, string>>;
  /** A topic key, or `{{path}}` giving one: its subscribers at the time of the event. */
  topic?: string;
  /** One path whose map becomes the payload (`new`), or payload field -> attribute path. */
  payload: Record<string, string> | string;
  /** Names the runs for cancelling, with `{{path}}` placeholders; default: the event's idempotency key. */
  runKey?: string;
}

/** Turns a matching event into one notification request (`notify`) or one workflow trigger (`workflow`). */
export type MappingRule = { name: string; match: RuleMatch } & ({ notify: RuleNotify; workflow?: undefined } | { workflow: RuleWorkflow; notify?: undefined });

/** A workflow trigger as a rule or an intake message gives it (the body of `POST /v1/events`). */
export interface WorkflowTriggerRequest {
  workflow: string;
  recipients?: Recipient[];
  topic?: string;
  payload: Record<string, unknown>;
  runKey?: string | null;
}

/** An event from a stream or a queue, reduced to what rules look at. */
export interface SourceEvent {
  /** Stable id of the event in its source: DynamoDB `eventID`, EventBridge `id`, SNS `MessageId`. */
  id: string;
  table?: string;
  eventName?: string;
  source?: string;
  detailType?: string;
  /** What paths resolve against: `{ new, old }` for stream records, `{ detail, event }` for EventBridge events. */
  document: Record<string, unknown>;
}

export type RuleOutcome =
  | { kind: 'request'; rule: string; request: NotificationRequest }
  | { kind: 'trigger'; rule: string; trigger: WorkflowTriggerRequest }
  | { kind: 'invalid'; rule: string; reason: string };

/**
 * Every rule whose match holds produces an outcome (so one event may notify through several rules);
 * an empty list means no rule matched and the event is skipped.
 */
export function applyRules(rules: readonly MappingRule[], event: SourceEvent): RuleOutcome[] {
  return rules.filter((rule) => matches(rule.match, event)).map((rule) => produce(rule, event));
}

export function matches(match: RuleMatch, event: SourceEvent): boolean {
  if (match.table && !match.table.includes(event.table ?? '')) return false;
  if (match.eventName && !(match.eventName as readonly string[]).includes(event.eventName ?? '')) return false;
  if (match.source && !match.source.includes(event.source ?? '')) return false;
  if (match.detailType && !match.detailType.includes(event.detailType ?? '')) return false;
  return match.when.every((c) => holds(c, event.document));
}

function holds(condition: Condition, doc: Record<string, unknown>): boolean {
  if ('changed' in condition) {
    const before = valueAt(doc, `old.${condition.changed}`);
    const after = valueAt(doc, `new.${condition.changed}`);
    if (same(before, after)) return false;
    if ('from' in condition && !same(before, condition.from)) return false;
    if ('to' in condition && !same(after, condition.to)) return false;
    return true;
  }
  const value = valueAt(doc, condition.path);
  if ('equals' in condition) return same(value, condition.equals);
  if ('notEquals' in condition) return !same(value, condition.notEquals);
  if ('in' in condition) return condition.in.some((v) => same(value, v));
  return (value !== undefined && value !== null) === condition.exists;
}

function produce(rule: MappingRule, event: SourceEvent): RuleOutcome {
  return rule.workflow ? produceTrigger(rule.name, rule.workflow, event) : produceRequest(rule.name, rule.notify, event);
}

function recipientOf(paths: Partial<Record<RecipientAddressField, string>>, doc: Record<string, unknown>, problems: string[]): Recipient {
  const recipient: Recipient = {};
  for (const [field, path] of Object.entries(paths) as Array<[RecipientAddressField, string]>) {
    const value = valueAt(doc, path);
    if (value === undefined || value === null || value === '') {
      problems.push(`recipient.${field}: no value at ${path}`);
    } else if (typeof value !== 'string' && typeof value !== 'number') {
      problems.push(`recipient.${field}: the value at ${path} is not a string`);
    } else {
      recipient[field] = String(value);
    }
  }
  return recipient;
}

/** Data from the document: the map at one path (a copy), or field -> path with the absent fields left out. */
function dataOf(spec: Record<string, string> | string, doc: Record<string, unknown>, at: string, problems: string[]): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  if (typeof spec === 'string') {
    const value = valueAt(doc, spec);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) problems.push(`${at}: no map at ${spec}`);
    else Object.assign(data, value);
  } else {
    for (const [field, path] of Object.entries(spec)) {
      const value = valueAt(doc, path);
      if (value !== undefined && value !== null) data[field] = value;
    }
  }
  return data;
}

function produceTrigger(name: string, rule: RuleWorkflow, event: SourceEvent): RuleOutcome {
  const problems: string[] = [];
  const recipient = rule.recipient ? recipientOf(rule.recipient, event.document, problems) : null;
  let topic: string | null = null;
  if (rule.topic !== undefined) {
    const rendered = render(rule.topic, event.document);
    if (rendered.missing.length) problems.push(`topic: no value at ${rendered.missing.join(', ')}`);
    topic = rendered.text;
  }
  const payload = dataOf(rule.payload, event.document, 'payload', problems);
  let runKey: string | null = null;
  if (rule.runKey !== undefined) {
    const rendered = render(rule.runKey, event.document);
    if (rendered.missing.length) problems.push(`runKey: no value at ${rendered.missing.join(', ')}`);
    runKey = rendered.text;
  }
  if (problems.length) return { kind: 'invalid', rule: name, reason: problems.join('; ') };
  const trigger: WorkflowTriggerRequest = {
    workflow: rule.key,
    ...(recipient ? { recipients: [recipient] } : { topic: topic! }),
    payload,
    ...(runKey !== null ? { runKey } : {}),
  };
  return { kind: 'trigger', rule: name, trigger };
}

function produceRequest(name: string, notify: RuleNotify, event: SourceEvent): RuleOutcome {
  const problems: string[] = [];
  const recipient = recipientOf(notify.recipient, event.document, problems);
  const content: Record<string, Record<string, string>> = {};
  for (const [channel, fields] of Object.entries(notify.content ?? {})) {
    content[channel] = {};
    for (const [field, template] of Object.entries(fields)) {
      const rendered = render(template, event.document);
      if (rendered.missing.length) problems.push(`content.${channel}.${field}: no value at ${rendered.missing.join(', ')}`);
      content[channel][field] = rendered.text;
    }
  }
  const template = notify.template ? templateReference(notify.template, event.document, problems) : undefined;
  const metadata: Record<string, unknown> = { eventId: event.id, rule: name };
  for (const [key, path] of Object.entries(notify.metadata ?? {})) {
    const value = valueAt(event.document, path);
    if (value !== undefined) metadata[key] = value;
  }
  if (problems.length) return { kind: 'invalid', rule: name, reason: problems.join('; ') };
  const request: NotificationRequest = {
    recipient,
    channels: [...notify.channels],
    content,
    metadata,
    ...(template ? { template } : {}),
    ...(notify.category ? { category: notify.category } : {}),
  };
  return { kind: 'request', rule: name, request };
}

/**
 * The template reference for one event. Data attributes the event lacks are left out: the template's declared
 * variables decide what is required, and acceptance rejects the event naming any that are missing.
 */
function templateReference(rule: RuleTemplate, doc: Record<string, unknown>, problems: string[]): TemplateReference {
  const data = dataOf(rule.data, doc, 'template.data', problems);
  const locale = rule.locale === undefined ? '' : render(rule.locale, doc).text.trim();
  return { key: rule.key, data, ...(locale ? { locale } : {}) };
}

const PLACEHOLDER = /\{\{\s*([^}\s]+)\s*\}\}/g;

/** Fills `{{path}}` placeholders; reports the paths that have no value. */
export function render(template: string, doc: Record<string, unknown>): { text: string; missing: string[] } {
  const parts = partsOf(template);
  // parts alternate: literal text, placeholder path, literal text, ...
  let text = parts[0];
  let missing: string[] | null = null;
  for (let i = 1; i < parts.length; i += 2) {
    const path = parts[i];
    const value = valueAt(doc, path);
    if (value === undefined || value === null) (missing ??= []).push(path);
    else text += typeof value === 'object' ? JSON.stringify(value) : String(value as string | number | boolean);
    text += parts[i + 1];
  }
  return { text, missing: missing ?? [] };
}

/**
 * A template split at its placeholders, kept per template text: rules are few and fixed, and every record of a
 * stream renders the same ones.
 */
const templateParts = new Map<string, string[]>();

function partsOf(template: string): string[] {
  let parts = templateParts.get(template);
  if (parts) return parts;
  parts = [];
  let at = 0;
  for (const m of template.matchAll(PLACEHOLDER)) {
    parts.push(template.slice(at, m.index), m[1]);
    at = m.index + m[0].length;
  }
  parts.push(template.slice(at));
  if (templateParts.size < 10_000) templateParts.set(template, parts);
  return parts;
}

export function placeholdersOf(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((m) => m[1]);
}

/** Value at a dotted path; numeric segments index arrays. */
export function valueAt(doc: unknown, path: string): unknown {
  const segments = segmentsOf(path);
  let current: unknown = doc;
  for (let i = 0; i < segments.length; i++) {
    if (current === null || current === undefined || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[segments[i]];
  }
  return current;
}

/** Paths split once: the rules' paths are few, and read for every event. */
const pathSegments = new Map<string, string[]>();

function segmentsOf(path: string): string[] {
  let segments = pathSegments.get(path);
  if (!segments) {
    segments = path.split('.');
    if (pathSegments.size < 10_000) pathSegments.set(path, segments);
  }
  return segments;
}

function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === 'object' && typeof b === 'object' && a !== null && b !== null) return JSON.stringify(a) === JSON.stringify(b);
  return false;
}
