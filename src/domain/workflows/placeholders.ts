/**
 * `{{path}}` placeholders in workflow definitions (content, digest and throttle keys, `until`): replaced by the
 * value at that dotted path of the run's context (`payload`, `recipient`, `digest`). A missing value becomes
 * the empty string; objects are written as JSON.
 */
const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_.\-[\]]+)\s*\}\}/g;
const WHOLE = /^\{\{\s*([A-Za-z0-9_.\-[\]]+)\s*\}\}$/;

/** The value at a dotted path (`a.b.0.c`, `a.b[0].c`), undefined when any part is missing. */
export function valueAt(root: unknown, path: string): unknown {
  let at: unknown = root;
  for (const part of path.replace(/\[(\d+)\]/g, '.$1').split('.').filter(Boolean)) {
    if (at === null || typeof at !== 'object') return undefined;
    if (!Object.prototype.hasOwnProperty.call(at, part)) return undefined;
    at = (at as Record<string, unknown>)[part];
  }
  return at;
}

function text(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

export function fillPlaceholders(template: string, context: Record<string, unknown>): string {
  return template.replace(PLACEHOLDER, (_, path: string) => text(valueAt(context, path)));
}

/** A string that is one placeholder and nothing else, for values that are not text (an `until` time). */
export function placeholderPath(template: string): string | null {
  return WHOLE.exec(template)?.[1] ?? null;
}

/** Fills every string inside a JSON value (content objects, arrays of blocks). */
export function fillDeep(value: unknown, context: Record<string, unknown>): unknown {
  if (typeof value === 'string') return fillPlaceholders(value, context);
  if (Array.isArray(value)) return value.map((v) => fillDeep(v, context));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fillDeep(v, context)]));
  return value;
}
