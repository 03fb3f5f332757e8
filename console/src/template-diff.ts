import { diffLines } from 'diff';
import type { Template } from '../../packages/sdk/src/index';

export type LineKind = 'added' | 'removed' | 'same';

export interface DiffLine {
  kind: LineKind;
  text: string;
}

/** A run of unchanged lines left out of the display, in place of its lines. */
export interface Skipped {
  kind: 'skipped';
  count: number;
}

export interface FieldDiff {
  /** `description`, `defaultLocale`, `variables`, or a variant's field as [locale, channel, field]. */
  field: string | [string, string, string];
  /** Present in one version only. */
  onlyIn: 'from' | 'to' | null;
  changed: boolean;
  lines: Array<DiffLine | Skipped>;
}

/** Unchanged lines kept around each change; longer unchanged runs are shown as one "n unchanged lines". */
const CONTEXT = 2;

const CHANNEL_ORDER = ['email', 'sms', 'push', 'webpush', 'chat', 'inapp'];
const FIELD_ORDER = ['subject', 'title', 'text', 'html', 'body', 'url', 'icon', 'actionUrl', 'data', 'blocks'];

/** Sorted as they are read: by `order` when listed there (channels, variant fields), the rest by name. */
export function ordered<T>(entries: Array<[string, T]>, order: string[] = []): Array<[string, T]> {
  const rank = (name: string) => (order.includes(name) ? order.indexOf(name) : order.length);
  return [...entries].sort(([a], [b]) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
}

/** A version's channels in Herald's order (stored JSON keeps no order of its own). */
export function channelsIn(variants: Record<string, unknown>): string[] {
  return ordered(Object.entries(variants), CHANNEL_ORDER).map(([channel]) => channel);
}

/** Every field a version has, as text: lists one item a line, objects (push data, chat blocks) as indented JSON. */
function fieldsOf(t: Template): Map<string, { field: FieldDiff['field']; text: string }> {
  const out = new Map<string, { field: FieldDiff['field']; text: string }>();
  out.set('description', { field: 'description', text: t.description });
  out.set('defaultLocale', { field: 'defaultLocale', text: t.defaultLocale });
  out.set('variables', { field: 'variables', text: t.variables.join('\n') });
  for (const [locale, channels] of ordered(Object.entries(t.locales))) {
    for (const [channel, variant] of ordered(Object.entries(channels), CHANNEL_ORDER)) {
      for (const [name, value] of ordered(Object.entries(variant), FIELD_ORDER)) {
        out.set(JSON.stringify([locale, channel, name]), { field: [locale, channel, name], text: typeof value === 'string' ? value : JSON.stringify(value, null, 2) });
      }
    }
  }
  return out;
}

function linesOf(value: string): string[] {
  const lines = value.split('\n');
  // jsdiff keeps each line's newline: the last piece after it is not a line.
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

function collapse(lines: DiffLine[]): Array<DiffLine | Skipped> {
  const out: Array<DiffLine | Skipped> = [];
  for (let i = 0; i < lines.length; ) {
    if (lines[i].kind !== 'same') {
      out.push(lines[i++]);
      continue;
    }
    let end = i;
    while (end < lines.length && lines[end].kind === 'same') end++;
    const keepBefore = i === 0 ? 0 : CONTEXT;
    const keepAfter = end === lines.length ? 0 : CONTEXT;
    if (end - i > keepBefore + keepAfter + 1) {
      out.push(...lines.slice(i, i + keepBefore), { kind: 'skipped', count: end - i - keepBefore - keepAfter }, ...lines.slice(end - keepAfter, end));
    } else {
      out.push(...lines.slice(i, end));
    }
    i = end;
  }
  return out;
}

/**
 * What changed from one version to another, field by field (each channel variant's field in each locale), as a
 * line diff (jsdiff's `diffLines`). Fields in the order the versions give them, `from`'s first.
 */
export function templateDiff(from: Template, to: Template): FieldDiff[] {
  const before = fieldsOf(from);
  const after = fieldsOf(to);
  const names = [...new Set([...before.keys(), ...after.keys()])];
  return names.flatMap((name) => {
    const a = before.get(name);
    const b = after.get(name);
    const field = a?.field ?? b?.field;
    if (!field) return [];
    const changed = a?.text !== b?.text;
    const lines: DiffLine[] = diffLines(a?.text ?? '', b?.text ?? '')
      .filter((change) => change.value !== '')
      .flatMap((change) => linesOf(change.value).map((text): DiffLine => ({ kind: change.added ? 'added' : change.removed ? 'removed' : 'same', text })));
    return [{ field, onlyIn: !a ? 'to' : !b ? 'from' : null, changed, lines: changed ? collapse(lines) : [] }];
  });
}
