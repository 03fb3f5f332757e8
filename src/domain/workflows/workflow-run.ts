import type { Recipient } from '../notification/notification-request';

export const RUN_STATUSES = ['running', 'waiting', 'completed', 'cancelled', 'throttled', 'failed'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
/** Runs that may still execute a step. */
export const UNFINISHED_STATUSES: readonly RunStatus[] = ['running', 'waiting'];

export const STEP_STATES = ['pending', 'waiting', 'done', 'skipped'] as const;
export type StepState = (typeof STEP_STATES)[number];

/** What a step produced, as the run reports it. */
export interface StepProduct {
  /** send: the notifications the step created (a replay returns the same ones). */
  notifications?: Array<{ id: string; channel: string; status: string }>;
  /** send: why the intake refused the notification (no channel left for the recipient, a template that cannot be rendered). */
  refused?: { code: string; message: string };
  /** digest: the window this run's event joined, the run that sends it, and (for that run) how many events it holds. */
  digestWindow?: string;
  mergedInto?: string;
  digestCount?: number;
  /** branch: which way it went and to which step. */
  branch?: 'then' | 'else';
  next?: string;
  /** throttle: how many runs had passed in the window, this one included when it passed. */
  throttleCount?: number;
}

export interface StepRecord {
  id: string;
  type: string;
  state: StepState;
  startedAt: string | null;
  finishedAt: string | null;
  produced: StepProduct | null;
}

/** The events a digest run carries to the send step after its digest step. */
export interface DigestContext {
  windowId: string;
  events: unknown[];
  count: number;
}

export interface WorkflowRun {
  id: string;
  triggerId: string;
  workflowKey: string;
  workflowVersion: number;
  runKey: string | null;
  recipient: Recipient;
  payload: Record<string, unknown>;
  status: RunStatus;
  /** The step the run is at (steps.length once finished). */
  stepIndex: number;
  steps: StepRecord[];
  digest: DigestContext | null;
  dueAt: Date | null;
  /** Counts committed transitions: each one is conditional on the revision it started from. */
  revision: number;
  error: string | null;
  createdAt: Date;
  updatedAt: Date;
  finishedAt: Date | null;
}

/** The key that identifies a recipient for digests and throttles: the user id, else the address. */
export function recipientKeyOf(recipient: Recipient): string {
  if (recipient.userId) return `user:${recipient.userId}`;
  if (recipient.email) return `email:${recipient.email.toLowerCase()}`;
  return `phone:${recipient.phone ?? ''}`;
}
