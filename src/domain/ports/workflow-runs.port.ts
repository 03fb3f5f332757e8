import type { Recipient } from '../notification/notification-request';
import type { ListPosition } from './notification-reader.port';
import type { DigestContext, RunStatus, StepRecord, WorkflowRun } from '../workflows/workflow-run';

export interface NewRun {
  id: string;
  recipient: Recipient;
  steps: StepRecord[];
}

export interface NewTrigger {
  id: string;
  source: string;
  idempotencyKey: string | null;
  requestHash: string;
  workflowKey: string;
  workflowVersion: number;
  runKey: string | null;
  payload: Record<string, unknown>;
  runs: NewRun[];
}

export type TriggerResult =
  | { kind: 'created' | 'replayed'; triggerId: string; runs: Array<{ id: string; userId: string | null }> }
  | { kind: 'key_reused'; idempotencyKey: string };

/** The state a step transition writes: where the run is now, and until when it waits. */
export interface RunTransition {
  status: RunStatus;
  stepIndex: number;
  steps: StepRecord[];
  digest: DigestContext | null;
  /** When the run is next due (null once finished). */
  dueAt: Date | null;
  error?: string | null;
}

/** A run held under a lease: every transition is conditional on the run still being at `revision` under `owner`. */
export interface HeldRun {
  id: string;
  revision: number;
  owner: string;
}

export interface DigestJoin {
  workflowKey: string;
  stepId: string;
  recipientKey: string;
  digestKey: string;
  windowMs: number;
  sendFirstImmediately: boolean;
  payload: Record<string, unknown>;
}

/**
 * What became of an event at a digest step: it opened a window and waits for it to close (`owner`, also when it
 * took over a window whose first event was sent on its own), it went ahead alone as the first event of a window
 * (`first`), or it joined a window another run sends (`joined`).
 */
export type DigestJoinOutcome =
  | { kind: 'owner'; windowId: string; closesAt: Date }
  | { kind: 'first'; windowId: string }
  | { kind: 'joined'; windowId: string; ownerRunId: string };

export interface ThrottlePass {
  workflowKey: string;
  stepId: string;
  recipientKey: string;
  throttleKey: string;
  windowStart: Date;
  limit: number;
}

export interface NotificationOutcomeState {
  id: string;
  status: string;
  inboxed: boolean;
  seen: boolean;
  read: boolean;
}

export interface RunListFilter {
  workflowKey?: string;
  userId?: string;
  status?: RunStatus;
}

/** Runs and their step state in PostgreSQL: the engine's claims and transitions, and the reads of the API. */
export abstract class WorkflowRuns {
  /**
   * One transaction for all the triggers (a request's one, or a stream batch's), in a few statements whatever their
   * number: each trigger and every run of it, or (a known idempotency key) the runs of the first trigger. One result
   * per trigger, in order.
   */
  abstract start(triggers: NewTrigger[]): Promise<TriggerResult[]>;
  /** Takes up to `limit` due runs that no live lease holds (FOR UPDATE SKIP LOCKED), leased to `owner` for `leaseMs`. */
  abstract claimDue(owner: string, limit: number, leaseMs: number): Promise<WorkflowRun[]>;
  /** Writes a transition if the run is still at held.revision under held.owner; false when it is not (cancelled, lease lost). */
  abstract commit(held: HeldRun, transition: RunTransition): Promise<boolean>;
  /** commit for several runs in one statement; resolves to the ids of the runs written (the others were no longer held). */
  abstract commitMany(items: ReadonlyArray<{ held: HeldRun; transition: RunTransition }>): Promise<Set<string>>;
  /**
   * Joins the event to the open window of its digest key (opening one if there is none), and writes the transition
   * the outcome calls for, in one transaction. Null when the run was no longer held (nothing written).
   */
  abstract joinDigest(held: HeldRun, join: DigestJoin, transitionFor: (outcome: DigestJoinOutcome) => RunTransition): Promise<DigestJoinOutcome | null>;
  /**
   * joinDigest for several runs in one transaction, windows taken in key order; resolves to the outcome of every run
   * written, by run id (a run no longer held is left out).
   */
  abstract joinDigests(
    joins: ReadonlyArray<{ held: HeldRun; join: DigestJoin }>,
    transitionFor: (runId: string, outcome: DigestJoinOutcome) => RunTransition,
  ): Promise<Map<string, DigestJoinOutcome>>;
  /**
   * Closes the window each run owns (open -> closing, once), and writes the transition given the events it holds,
   * all in one transaction. Resolves to the digest of every run written, by run id; a run no longer held is left out
   * (nothing written for it).
   */
  abstract closeDigests(
    closes: ReadonlyArray<{ held: HeldRun; windowId: string }>,
    transitionFor: (runId: string, digest: DigestContext) => RunTransition,
  ): Promise<Map<string, DigestContext>>;
  /** Marks windows whose digests were sent closed. */
  abstract markDigestsSent(windowIds: readonly string[]): Promise<void>;
  /**
   * Counts the run in the throttle window if fewer than `limit` have passed, and writes the transition given whether
   * it passed, in one transaction. Null when the run was no longer held.
   */
  abstract passThrottle(held: HeldRun, pass: ThrottlePass, transitionFor: (passed: boolean, count: number) => RunTransition): Promise<{ passed: boolean; count: number } | null>;
  /** The states of notifications, as outcome conditions read them. */
  abstract notificationOutcomes(ids: string[]): Promise<NotificationOutcomeState[]>;
  abstract find(id: string): Promise<WorkflowRun | null>;
  abstract list(filter: RunListFilter, after: ListPosition | null, limit: number): Promise<{ items: WorkflowRun[]; next: ListPosition | null }>;
  /**
   * Cancels the unfinished runs with this run key (or this id), and returns them with the ids of the scheduled
   * notifications their send steps created.
   */
  abstract cancel(target: { workflowKey: string; runKey: string } | { runId: string }, reason: string): Promise<Array<{ runId: string; scheduledNotificationIds: string[] }>>;
}
