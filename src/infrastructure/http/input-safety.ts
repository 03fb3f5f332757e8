import type { FieldIssue } from '../../domain/errors/domain-errors';

/**
 * Deepest nesting of objects and arrays accepted in a request body. Far beyond any real payload (chat
 * blocks and metadata stay under ten levels); without a bound, class-transformer and class-validator
 * recurse once per level and a body of a few kilobytes overflows the stack.
 */
export const MAX_BODY_DEPTH = 64;

// A NUL, or a UTF-16 surrogate not paired with its other half.
const UNSAFE = /[\u0000]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const UNSAFE_ALL = new RegExp(UNSAFE.source, 'g');

/** ES2024, in Node 20 and later; not yet in this TypeScript library setting. */
type WellFormedString = string & { isWellFormed(): boolean };

/**
 * Why a string cannot be stored as it is, or null. PostgreSQL refuses NUL in text and jsonb, and a lone
 * surrogate has no UTF-8 form: the driver would silently store U+FFFD in its place.
 */
export function unsafeTextReason(text: string): string | null {
  // The native checks first: nearly every string passes them, at a fraction of the regular expression's cost.
  if (!text.includes('\u0000') && (text as WellFormedString).isWellFormed()) return null;
  const match = UNSAFE.exec(text);
  if (!match) return null;
  return match[0] === '\u0000' ? 'must not contain NUL characters' : 'must not contain unpaired UTF-16 surrogates';
}

/** `items[3].recipient.email`, as the validation errors name fields. */
function child(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  return parent ? `${parent}.${key}` : key;
}

/** A path 64 levels deep helps no one: its first four steps (`items[2].metadata.a…`) say where to look. */
function outermost(field: string): string {
  const steps = field.match(/\[\d+\]|[^.[\]]+/g) ?? [];
  if (!steps[0] || steps[0].startsWith('[')) return 'body';
  return `${steps.slice(0, 4).reduce((path, step) => (step.startsWith('[') ? path + step : path ? `${path}.${step}` : step), '')}…`;
}

/**
 * The first problem of a parsed body: nesting past MAX_BODY_DEPTH, or a key or string that cannot be
 * stored. Never recurses deeper than the bound, so it is safe on any parsed JSON.
 */
export function bodyIssue(value: unknown): FieldIssue | null {
  const found = walk(value, 0);
  if (!found) return null;
  // Steps were collected innermost first, on the way back up: no path is built for a good body.
  const field = found.steps.reverse().reduce<string>((path, step) => child(path, step), '');
  return { field: found.tooDeep ? outermost(field) : field || 'body', reason: found.reason };
}

interface Found {
  steps: Array<string | number>;
  reason: string;
  tooDeep: boolean;
}

function walk(value: unknown, depth: number): Found | null {
  if (typeof value === 'string') {
    const reason = unsafeTextReason(value);
    return reason ? { steps: [], reason, tooDeep: false } : null;
  }
  if (value === null || typeof value !== 'object') return null;
  if (depth >= MAX_BODY_DEPTH) return { steps: [], reason: `nests objects and arrays deeper than ${MAX_BODY_DEPTH} levels`, tooDeep: true };
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = walk(value[i], depth + 1);
      if (found) return (found.steps.push(i), found);
    }
    return null;
  }
  for (const key in value) {
    const keyReason = unsafeTextReason(key);
    // The key is named with U+FFFD where it cannot be shown as it is.
    if (keyReason) return { steps: [key.replace(UNSAFE_ALL, '\ufffd')], reason: `has a key that ${keyReason}`, tooDeep: false };
    const found = walk((value as Record<string, unknown>)[key], depth + 1);
    if (found) return (found.steps.push(key), found);
  }
  return null;
}

/**
 * Problems of a raw query string (`a=1&b=2`), decoded strictly: a parameter given twice, an escape
 * that is not UTF-8 (the lenient parser would turn it into U+FFFD), a NUL or a lone surrogate.
 */
export function queryIssues(rawQuery: string): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const seen = new Set<string>();
  for (const pair of rawQuery.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const rawKey = eq === -1 ? pair : pair.slice(0, eq);
    const rawValue = eq === -1 ? '' : pair.slice(eq + 1);
    const key = strictDecode(rawKey);
    const name = (key ?? rawKey).slice(0, 100).replace(UNSAFE_ALL, '\ufffd');
    if (key === null || (rawValue && strictDecode(rawValue) === null)) {
      issues.push({ field: name, reason: 'is not valid percent-encoded UTF-8' });
      continue;
    }
    const reason = unsafeTextReason(key) ?? unsafeTextReason(strictDecode(rawValue) ?? '');
    if (reason) {
      issues.push({ field: name, reason });
      continue;
    }
    if (seen.has(key)) issues.push({ field: name, reason: 'must be given once' });
    seen.add(key);
  }
  return issues;
}

/** Path segments decoded strictly, with the same rules as query values. */
export function pathIssue(rawPath: string): FieldIssue | null {
  for (const segment of rawPath.split('/')) {
    const decoded = strictDecode(segment, false);
    if (decoded === null) return { field: 'path', reason: 'is not valid percent-encoded UTF-8' };
    const reason = unsafeTextReason(decoded);
    if (reason) return { field: 'path', reason };
  }
  return null;
}

function strictDecode(raw: string, plusIsSpace = true): string | null {
  try {
    return decodeURIComponent(plusIsSpace ? raw.replace(/\+/g, ' ') : raw);
  } catch {
    return null;
  }
}
