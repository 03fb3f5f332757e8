/** Distinct categories a process reports before it folds the rest into "other": labels are time series. */
export const MAX_CATEGORY_LABELS = 100;
const LABEL = /^[A-Za-z0-9_.:-]{1,64}$/;

/** A client-supplied value as a metric label: "none" when absent, "other" when odd-looking or past the limit. */
export function boundedLabel(value: string | null, seen: Set<string>, max = MAX_CATEGORY_LABELS): string {
  if (!value) return 'none';
  if (seen.has(value)) return value;
  if (!LABEL.test(value) || seen.size >= max) return 'other';
  seen.add(value);
  return value;
}
