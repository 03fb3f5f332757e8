import type { FieldIssue } from '../errors/domain-errors';
import { parseWorkflowDuration } from './duration';
import { valueAt } from './placeholders';

/** What a send step's notification may have reached; a condition on it is true once any of the step's notifications has. */
export const OUTCOMES = ['delivered', 'seen', 'read', 'clicked', 'failed'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** A test on a value: exactly one of equals, notEquals, exists, in. */
export interface ValueTest {
  equals?: unknown;
  notEquals?: unknown;
  exists?: boolean;
  in?: unknown[];
}
export type ValueCondition = ({ payload: string } | { recipient: string }) & ValueTest;
export interface OutcomeCondition {
  step: string;
  is: Outcome;
  /** Wait up to this long for the outcome; without it the outcome is checked once, when the branch is reached. */
  within?: string;
}
export type Condition = ValueCondition | OutcomeCondition;

const TESTS = ['equals', 'notEquals', 'exists', 'in'] as const;

export function isOutcomeCondition(c: Condition): c is OutcomeCondition {
  return 'step' in c;
}

/** `earlierSend(stepId)`: why that step cannot be the subject of an outcome condition, null when it can. */
export function conditionIssues(raw: unknown, at: string, earlierSend: (stepId: string) => string | null): FieldIssue[] {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return [{ field: at, reason: 'must be a condition on payload, recipient or step' }];
  const c = raw as Record<string, unknown>;
  const subjects = ['payload', 'recipient', 'step'].filter((s) => c[s] !== undefined);
  if (subjects.length !== 1) return [{ field: at, reason: 'must name exactly one of payload, recipient or step' }];
  const issues: FieldIssue[] = [];
  if (subjects[0] === 'step') {
    for (const field of Object.keys(c)) if (!['step', 'is', 'within'].includes(field)) issues.push({ field: `${at}.${field}`, reason: 'is not a field of an outcome condition' });
    if (typeof c.step !== 'string') issues.push({ field: `${at}.step`, reason: 'must be the id of an earlier send step' });
    else {
      const why = earlierSend(c.step);
      if (why) issues.push({ field: `${at}.step`, reason: `must be the id of an earlier send step: ${why}` });
    }
    if (!(OUTCOMES as readonly unknown[]).includes(c.is)) issues.push({ field: `${at}.is`, reason: `must be one of ${OUTCOMES.join(', ')}` });
    if (c.within !== undefined && parseWorkflowDuration(c.within) === null) issues.push({ field: `${at}.within`, reason: 'must be a duration such as "30s", "1h" or "PT1H"' });
    return issues;
  }
  const subject = subjects[0];
  if (typeof c[subject] !== 'string' || (c[subject] as string).length === 0) issues.push({ field: `${at}.${subject}`, reason: 'must be a dotted path such as "order.total"' });
  for (const field of Object.keys(c)) if (field !== subject && !(TESTS as readonly string[]).includes(field)) issues.push({ field: `${at}.${field}`, reason: `is not a test (${TESTS.join(', ')})` });
  const tests = TESTS.filter((t) => c[t] !== undefined);
  if (tests.length !== 1) issues.push({ field: at, reason: `must have exactly one of ${TESTS.join(', ')}` });
  if (c.exists !== undefined && typeof c.exists !== 'boolean') issues.push({ field: `${at}.exists`, reason: 'must be a boolean' });
  if (c.in !== undefined && !Array.isArray(c.in)) issues.push({ field: `${at}.in`, reason: 'must be a list of values' });
  return issues;
}

function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === 'object' && typeof b === 'object' && a !== null && b !== null) return JSON.stringify(a) === JSON.stringify(b);
  return false;
}

/** Evaluates a payload or recipient condition. */
export function evaluateValueCondition(c: ValueCondition, context: { payload: unknown; recipient: unknown }): boolean {
  const value = 'payload' in c ? valueAt(context.payload, c.payload) : valueAt(context.recipient, c.recipient);
  if (c.exists !== undefined) return (value !== undefined && value !== null) === c.exists;
  if (c.in !== undefined) return c.in.some((v) => same(v, value));
  if (c.notEquals !== undefined) return !same(c.notEquals, value);
  return same(c.equals, value);
}

/** The outcomes each notification state proves (in-app: the inbox item's seen and read marks count too). */
export function outcomesReached(n: { status: string; inboxed?: boolean; seen?: boolean; read?: boolean }): Set<Outcome> {
  const out = new Set<Outcome>();
  if (['delivered', 'opened', 'clicked', 'unsubscribed', 'complained'].includes(n.status)) out.add('delivered');
  if (n.status === 'opened' || n.status === 'clicked') out.add('seen').add('read');
  if (n.status === 'clicked') out.add('clicked');
  if (['failed', 'bounced', 'undelivered', 'suppressed', 'cancelled'].includes(n.status)) out.add('failed');
  if (n.inboxed) out.add('delivered');
  if (n.seen) out.add('seen').add('delivered');
  if (n.read) out.add('read').add('seen').add('delivered');
  return out;
}
