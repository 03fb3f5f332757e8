import { createHash } from 'node:crypto';

/**
 * Key-order independent JSON, so that {a,b} and {b,a} are the same request. Fingerprints are stored with
 * idempotency keys, so the text must never change: keys sorted by UTF-16 code units, absent (undefined)
 * properties left out, anything JSON cannot write as null. Written with loops: it runs once per accepted
 * request, on the intake's hot path.
 */
function canonical(value: unknown): string {
  if (typeof value !== 'object' || value === null) return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) {
    let out = '[';
    // A hole of a sparse array writes nothing, as Array.prototype.map left it.
    for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ',') + (i in value ? canonical(value[i]) : '');
    return `${out}]`;
  }
  const object = value as Record<string, unknown>;
  const keys = Object.keys(object).sort();
  let out = '{';
  for (const key of keys) {
    const v = object[key];
    if (v === undefined) continue;
    out += (out.length === 1 ? '' : ',') + JSON.stringify(key) + ':' + canonical(v);
  }
  return `${out}}`;
}

export function fingerprint(value: unknown): string {
  return createHash('sha256').update(canonical(value)).digest('hex');
}
