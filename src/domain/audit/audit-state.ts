import { fingerprint } from '../notification/request-fingerprint';

/** Whether a change changed anything: the two states differ other than by key order. */
export function differs(before: unknown, after: unknown): boolean {
  return fingerprint(before) !== fingerprint(after);
}

/** How many ids an entry names: a redrive of "all" can move far more, and the entry keeps their count. */
export const MAX_AUDITED_IDS = 1000;

/** The ids an entry keeps, with the count of any left out. */
export function auditedIds(ids: string[]): { count: number; ids: string[]; idsLeftOut?: number } {
  return ids.length > MAX_AUDITED_IDS ? { count: ids.length, ids: ids.slice(0, MAX_AUDITED_IDS), idsLeftOut: ids.length - MAX_AUDITED_IDS } : { count: ids.length, ids };
}
