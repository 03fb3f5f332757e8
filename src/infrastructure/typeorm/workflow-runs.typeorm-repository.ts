import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { newId } from '../../domain/notification/ids';
import type { ListPosition } from '../../domain/ports/notification-reader.port';
import {
  WorkflowRuns,
  type DigestJoin,
  type DigestJoinOutcome,
  type HeldRun,
  type NewTrigger,
  type NotificationOutcomeState,
  type RunListFilter,
  type RunTransition,
  type ThrottlePass,
  type TriggerResult,
} from '../../domain/ports/workflow-runs.port';
import type { DigestContext, WorkflowRun } from '../../domain/workflows/workflow-run';

type Row = Record<string, any>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const FINISHED = `('completed', 'cancelled', 'throttled', 'failed')`;
/** How many times a digest join looks again for the open window after losing a race to open or close it. */
const JOIN_ATTEMPTS = 10;

/**
 * The scheduled notifications of a run, found by the `workflowRun` its steps put in their metadata. With the partial
 * metadata index's predicate (migration MetadataIndexPartial), so that the planner can use that index.
 */
export const scheduledOfRunQuery = `SELECT id FROM notifications WHERE metadata @> $1::jsonb AND metadata <> '{}'::jsonb AND status = 'scheduled'`;

function toRun(r: Row): WorkflowRun {
  return {
    id: r.id,
    triggerId: r.trigger_id,
    workflowKey: r.workflow_key,
    workflowVersion: r.workflow_version,
    runKey: r.run_key,
    recipient: r.recipient,
    payload: r.payload,
    status: r.status,
    stepIndex: r.step_index,
    steps: r.steps,
    digest: r.digest,
    dueAt: r.due_at,
    revision: r.revision,
    error: r.error,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    finishedAt: r.finished_at,
  };
}

/** The rows of an UPDATE ... RETURNING, which TypeORM's PostgreSQL driver answers as [rows, row count]. */
async function updated(tx: EntityManager | DataSource, sql: string, params: unknown[]): Promise<Row[]> {
  const result: unknown = await tx.query(sql, params);
  return Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number' ? (result[0] as Row[]) : (result as Row[]);
}

/** Writes a transition if the run is still where its holder left it: same revision, same lease owner. */
async function writeTransition(tx: EntityManager | DataSource, held: HeldRun, t: RunTransition): Promise<boolean> {
  const rows = await updated(
    tx,
    `UPDATE workflow_runs SET
       status = $4, step_index = $5, steps = $6::jsonb, digest = $7::jsonb, due_at = $8, error = coalesce($9, error),
       revision = revision + 1, updated_at = now(),
       finished_at = CASE WHEN $4 IN ${FINISHED} THEN now() END,
       lease_owner = CASE WHEN $4 = 'running' THEN lease_owner END,
       lease_until = CASE WHEN $4 = 'running' THEN lease_until END
     WHERE id = $1 AND revision = $2 AND lease_owner = $3
     RETURNING id`,
    [held.id, held.revision, held.owner, t.status, t.stepIndex, JSON.stringify(t.steps), t.digest ? JSON.stringify(t.digest) : null, t.dueAt, t.error ?? null],
  );
  return rows.length === 1;
}

/**
 * Writes each transition whose run is still where its holder left it (same revision, same lease owner), in one
 * statement; answers the ids written. The rows are locked in id order, as cancelling locks them, so that a pass and a
 * cancel touching the same runs never wait for each other in a cycle.
 */
async function writeTransitions(tx: EntityManager | DataSource, items: ReadonlyArray<{ held: HeldRun; transition: RunTransition }>): Promise<Set<string>> {
  if (items.length === 0) return new Set();
  if (items.length === 1) return (await writeTransition(tx, items[0].held, items[0].transition)) ? new Set([items[0].held.id]) : new Set();
  const rows = await updated(
    tx,
    `WITH t AS (
       SELECT * FROM jsonb_to_recordset($1::jsonb)
         AS t(id uuid, revision integer, owner text, status text, step_index integer, steps jsonb, digest jsonb, due_at timestamptz, error text)
     ),
     held AS (
       SELECT r.id FROM workflow_runs r JOIN t ON r.id = t.id AND r.revision = t.revision AND r.lease_owner = t.owner
       ORDER BY r.id FOR UPDATE OF r
     )
     UPDATE workflow_runs r SET
       status = t.status, step_index = t.step_index, steps = t.steps, digest = t.digest, due_at = t.due_at, error = coalesce(t.error, r.error),
       revision = r.revision + 1, updated_at = now(),
       finished_at = CASE WHEN t.status IN ${FINISHED} THEN now() END,
       lease_owner = CASE WHEN t.status = 'running' THEN r.lease_owner END,
       lease_until = CASE WHEN t.status = 'running' THEN r.lease_until END
     FROM t JOIN held ON held.id = t.id
     WHERE r.id = t.id AND r.revision = t.revision AND r.lease_owner = t.owner
     RETURNING r.id`,
    [
      JSON.stringify(
        items.map(({ held, transition: t }) => ({
          id: held.id,
          revision: held.revision,
          owner: held.owner,
          status: t.status,
          step_index: t.stepIndex,
          steps: t.steps,
          digest: t.digest,
          due_at: t.dueAt ? t.dueAt.toISOString() : null,
          error: t.error ?? null,
        })),
      ),
    ],
  );
  return new Set(rows.map((r) => r.id as string));
}

/** Locks the run row if it is still held: the first lock of every step transaction (runs, then windows or counters). */
async function lockHeld(tx: EntityManager, held: HeldRun): Promise<boolean> {
  const rows: Row[] = await tx.query(`SELECT id FROM workflow_runs WHERE id = $1 AND revision = $2 AND lease_owner = $3 FOR UPDATE`, [held.id, held.revision, held.owner]);
  return rows.length === 1;
}

/** lockHeld for several runs, in id order; answers the ids still held. */
async function lockAllHeld(tx: EntityManager, helds: readonly HeldRun[]): Promise<Set<string>> {
  const rows: Row[] = await tx.query(
    `SELECT r.id FROM workflow_runs r
     JOIN jsonb_to_recordset($1::jsonb) AS h(id uuid, revision integer, owner text) ON r.id = h.id AND r.revision = h.revision AND r.lease_owner = h.owner
     ORDER BY r.id FOR UPDATE OF r`,
    [JSON.stringify(helds)],
  );
  return new Set(rows.map((r) => r.id as string));
}

function windowKey(join: DigestJoin): string[] {
  return [join.workflowKey, join.stepId, join.recipientKey, join.digestKey];
}

/** Window keys in the order of `ORDER BY workflow_key COLLATE "C", ...`: byte-wise, column by column. */
function compareKeys(a: string[], b: string[]): number {
  for (let i = 0; i < a.length; i++) {
    const c = Buffer.compare(Buffer.from(a[i]), Buffer.from(b[i]));
    if (c !== 0) return c;
  }
  return 0;
}

@Injectable()
export class WorkflowRunsTypeormRepository extends WorkflowRuns {
  constructor(@InjectDataSource() private readonly db: DataSource) {
    super();
  }

  async start(triggers: NewTrigger[]): Promise<TriggerResult[]> {
    if (triggers.length === 0) return [];
    return this.db.transaction(async (tx) => {
      // Keys are taken in one order, so that two batches sharing keys wait for each other instead of deadlocking.
      const inserted: Row[] = await tx.query(
        `INSERT INTO workflow_triggers (id, source, idempotency_key, request_hash, workflow_key)
         SELECT t.id, t.source, t.idempotency_key, t.request_hash, t.workflow_key
         FROM jsonb_to_recordset($1::jsonb) AS t(id uuid, source text, idempotency_key text, request_hash text, workflow_key text)
         ORDER BY t.source, t.idempotency_key
         ON CONFLICT (source, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING RETURNING id`,
        [JSON.stringify(triggers.map((t) => ({ id: t.id, source: t.source, idempotency_key: t.idempotencyKey, request_hash: t.requestHash, workflow_key: t.workflowKey })))],
      );
      const created = new Set(inserted.map((r) => r.id as string));
      const runRows = triggers
        .filter((t) => created.has(t.id))
        .flatMap((t) =>
          t.runs.map((r, ordinal) => ({
            id: r.id,
            trigger_id: t.id,
            ordinal,
            workflow_key: t.workflowKey,
            workflow_version: t.workflowVersion,
            run_key: t.runKey,
            recipient: r.recipient,
            user_id: r.recipient.userId ?? null,
            payload: t.payload,
            steps: r.steps,
          })),
        );
      if (runRows.length) {
        await tx.query(
          `INSERT INTO workflow_runs (id, trigger_id, ordinal, workflow_key, workflow_version, run_key, recipient, user_id, payload, status, steps, due_at)
           SELECT r.id, r.trigger_id, r.ordinal, r.workflow_key, r.workflow_version, r.run_key, r.recipient, r.user_id, r.payload, 'running', r.steps, now()
           FROM jsonb_to_recordset($1::jsonb)
             AS r(id uuid, trigger_id uuid, ordinal integer, workflow_key text, workflow_version integer, run_key text, recipient jsonb, user_id text, payload jsonb, steps jsonb)`,
          [JSON.stringify(runRows)],
        );
      }
      // A trigger not inserted has its key taken: by an earlier trigger, or by one before it in this same call.
      const known = triggers.filter((t) => !created.has(t.id));
      const firsts = new Map<string, { id: string; requestHash: string; runs: Array<{ id: string; userId: string | null }> }>();
      if (known.length) {
        const rows: Row[] = await tx.query(
          `SELECT w.source, w.idempotency_key, w.id, w.request_hash, r.id AS run_id, r.user_id
           FROM workflow_triggers w
           JOIN (SELECT DISTINCT k.source, k.idempotency_key FROM jsonb_to_recordset($1::jsonb) AS k(source text, idempotency_key text)) k
             ON w.source = k.source AND w.idempotency_key = k.idempotency_key
           LEFT JOIN workflow_runs r ON r.trigger_id = w.id
           ORDER BY w.id, r.ordinal`,
          [JSON.stringify(known.map((t) => ({ source: t.source, idempotency_key: t.idempotencyKey })))],
        );
        for (const row of rows) {
          const at = `${row.source}\u0000${row.idempotency_key}`;
          let first = firsts.get(at);
          if (!first) firsts.set(at, (first = { id: row.id, requestHash: row.request_hash, runs: [] }));
          if (row.run_id) first.runs.push({ id: row.run_id, userId: row.user_id });
        }
      }
      return triggers.map((t): TriggerResult => {
        if (created.has(t.id)) return { kind: 'created', triggerId: t.id, runs: t.runs.map((r) => ({ id: r.id, userId: r.recipient.userId ?? null })) };
        const first = firsts.get(`${t.source}\u0000${t.idempotencyKey}`)!;
        if (first.requestHash !== t.requestHash) return { kind: 'key_reused', idempotencyKey: t.idempotencyKey! };
        return { kind: 'replayed', triggerId: first.id, runs: first.runs };
      });
    });
  }

  async claimDue(owner: string, limit: number, leaseMs: number): Promise<WorkflowRun[]> {
    const rows = await updated(
      this.db,
      `WITH due AS (
         SELECT id FROM workflow_runs
         WHERE status IN ('running', 'waiting') AND due_at <= now() AND (lease_until IS NULL OR lease_until < now())
         ORDER BY due_at LIMIT $2 FOR UPDATE SKIP LOCKED
       )
       UPDATE workflow_runs r SET lease_owner = $1, lease_until = now() + $3 * interval '1 millisecond'
       FROM due WHERE r.id = due.id
       RETURNING r.*`,
      [owner, limit, leaseMs],
    );
    return rows.map(toRun);
  }

  commit(held: HeldRun, transition: RunTransition): Promise<boolean> {
    return writeTransition(this.db, held, transition);
  }

  commitMany(items: ReadonlyArray<{ held: HeldRun; transition: RunTransition }>): Promise<Set<string>> {
    return writeTransitions(this.db, items);
  }

  joinDigest(held: HeldRun, join: DigestJoin, transitionFor: (outcome: DigestJoinOutcome) => RunTransition): Promise<DigestJoinOutcome | null> {
    return this.db.transaction(async (tx) => {
      if (!(await lockHeld(tx, held))) return null;
      const outcome = await this.joinWindow(tx, held.id, join);
      if (!(await writeTransition(tx, held, transitionFor(outcome)))) throw new Error(`workflow run ${held.id} changed under its row lock`);
      return outcome;
    });
  }

  joinDigests(
    joins: ReadonlyArray<{ held: HeldRun; join: DigestJoin }>,
    transitionFor: (runId: string, outcome: DigestJoinOutcome) => RunTransition,
  ): Promise<Map<string, DigestJoinOutcome>> {
    if (joins.length === 0) return Promise.resolve(new Map());
    return this.db.transaction(async (tx) => {
      const held = await lockAllHeld(tx, joins.map((j) => j.held));
      // Windows are locked in key order, as closing locks them: two transactions never wait for each other in a cycle.
      const mine = joins.filter((j) => held.has(j.held.id)).sort((x, y) => compareKeys(windowKey(x.join), windowKey(y.join)));
      const outcomes = new Map<string, DigestJoinOutcome>();
      const writes: Array<{ held: HeldRun; transition: RunTransition }> = [];
      for (const j of mine) {
        const outcome = await this.joinWindow(tx, j.held.id, j.join);
        outcomes.set(j.held.id, outcome);
        writes.push({ held: j.held, transition: transitionFor(j.held.id, outcome) });
      }
      const written = await writeTransitions(tx, writes);
      if (written.size !== writes.length) throw new Error(`workflow runs changed under their row locks`);
      return outcomes;
    });
  }

  private async joinWindow(tx: EntityManager, runId: string, join: DigestJoin): Promise<DigestJoinOutcome> {
    const key = [join.workflowKey, join.stepId, join.recipientKey, join.digestKey];
    const addEvent = (windowId: string) =>
      tx.query(`INSERT INTO workflow_digest_events (window_id, run_id, payload) VALUES ($1, $2, $3::jsonb)`, [windowId, runId, JSON.stringify(join.payload)]);
    for (let attempt = 0; attempt < JOIN_ATTEMPTS; attempt++) {
      // Under the window row's lock: a close either committed before (the row no longer matches, and a new window
      // is opened) or waits for this join to commit (and its event is in the digest).
      const [open]: Row[] = await tx.query(
        `SELECT id, owner_run_id, closes_at, closes_at <= now() AS expired FROM workflow_digest_windows
         WHERE workflow_key = $1 AND step_id = $2 AND recipient_key = $3 AND digest_key = $4 AND state = 'open' FOR UPDATE`,
        key,
      );
      if (open) {
        if (open.owner_run_id) {
          await addEvent(open.id);
          return { kind: 'joined', windowId: open.id, ownerRunId: open.owner_run_id };
        }
        // A window whose first event went ahead alone: the next event waits for its end and sends the rest.
        if (open.expired) {
          await tx.query(`UPDATE workflow_digest_windows SET state = 'closed', closed_at = now() WHERE id = $1 AND state = 'open'`, [open.id]);
          continue;
        }
        await tx.query(`UPDATE workflow_digest_windows SET owner_run_id = $2 WHERE id = $1`, [open.id, runId]);
        await addEvent(open.id);
        return { kind: 'owner', windowId: open.id, closesAt: open.closes_at };
      }
      const id = newId();
      const created: Row[] = await tx.query(
        `INSERT INTO workflow_digest_windows (id, workflow_key, step_id, recipient_key, digest_key, state, owner_run_id, closes_at)
         VALUES ($1, $2, $3, $4, $5, 'open', $6, now() + $7 * interval '1 millisecond')
         ON CONFLICT (workflow_key, step_id, recipient_key, digest_key) WHERE state = 'open' DO NOTHING
         RETURNING closes_at`,
        [id, ...key, join.sendFirstImmediately ? null : runId, join.windowMs],
      );
      if (created.length === 0) continue;
      if (join.sendFirstImmediately) return { kind: 'first', windowId: id };
      await addEvent(id);
      return { kind: 'owner', windowId: id, closesAt: created[0].closes_at };
    }
    throw new Error(`digest window for ${key.join('/')} kept changing; the step is retried`);
  }

  closeDigests(closes: ReadonlyArray<{ held: HeldRun; windowId: string }>, transitionFor: (runId: string, digest: DigestContext) => RunTransition): Promise<Map<string, DigestContext>> {
    if (closes.length === 0) return Promise.resolve(new Map());
    return this.db.transaction(async (tx) => {
      const held = await lockAllHeld(tx, closes.map((c) => c.held));
      const mine = closes.filter((c) => held.has(c.held.id));
      if (mine.length === 0) return new Map();
      // Key order, as joins lock windows.
      await tx.query(`SELECT id FROM workflow_digest_windows WHERE id = ANY($1::uuid[]) AND state = 'open' ORDER BY workflow_key COLLATE "C", step_id COLLATE "C", recipient_key COLLATE "C", digest_key COLLATE "C" FOR UPDATE`, [
        mine.map((c) => c.windowId),
      ]);
      // Once: a join waiting for a window row's lock then finds it closing and opens the next window.
      await tx.query(
        `UPDATE workflow_digest_windows w SET state = 'closing', closed_at = now()
         FROM jsonb_to_recordset($1::jsonb) AS c(window_id uuid, run_id uuid)
         WHERE w.id = c.window_id AND w.state = 'open' AND w.owner_run_id = c.run_id`,
        [JSON.stringify(mine.map((c) => ({ window_id: c.windowId, run_id: c.held.id })))],
      );
      // A statement of its own, after the close: its snapshot has every join that held a window's lock before it.
      const events: Row[] = await tx.query(`SELECT window_id, payload FROM workflow_digest_events WHERE window_id = ANY($1::uuid[]) ORDER BY window_id, joined_at, run_id`, [
        mine.map((c) => c.windowId),
      ]);
      const byWindow = new Map<string, unknown[]>();
      for (const e of events) {
        const list = byWindow.get(e.window_id) ?? [];
        list.push(e.payload);
        byWindow.set(e.window_id, list);
      }
      const digests = new Map<string, DigestContext>();
      const writes = mine.map((c) => {
        const payloads = (byWindow.get(c.windowId) ?? []) as DigestContext['events'];
        const digest: DigestContext = { windowId: c.windowId, events: payloads, count: payloads.length };
        digests.set(c.held.id, digest);
        return { held: c.held, transition: transitionFor(c.held.id, digest) };
      });
      const written = await writeTransitions(tx, writes);
      if (written.size !== writes.length) throw new Error(`workflow runs changed under their row locks`);
      return digests;
    });
  }

  async markDigestsSent(windowIds: readonly string[]): Promise<void> {
    if (windowIds.length === 0) return;
    await this.db.query(`UPDATE workflow_digest_windows SET state = 'closed' WHERE id = ANY($1::uuid[]) AND state = 'closing'`, [windowIds]);
  }

  passThrottle(held: HeldRun, pass: ThrottlePass, transitionFor: (passed: boolean, count: number) => RunTransition): Promise<{ passed: boolean; count: number } | null> {
    return this.db.transaction(async (tx) => {
      if (!(await lockHeld(tx, held))) return null;
      const key = [pass.workflowKey, pass.stepId, pass.recipientKey, pass.throttleKey, pass.windowStart];
      // The conditional upsert holds the counter row's lock: two runs never both take the last place.
      const counted: Row[] = await tx.query(
        `INSERT INTO workflow_throttle_counters (workflow_key, step_id, recipient_key, throttle_key, window_start, passed) VALUES ($1, $2, $3, $4, $5, 1)
         ON CONFLICT (workflow_key, step_id, recipient_key, throttle_key, window_start)
         DO UPDATE SET passed = workflow_throttle_counters.passed + 1 WHERE workflow_throttle_counters.passed < $6
         RETURNING passed`,
        [...key, pass.limit],
      );
      let result: { passed: boolean; count: number };
      if (counted.length === 1) result = { passed: true, count: counted[0].passed };
      else {
        const [row]: Row[] = await tx.query(
          `SELECT passed FROM workflow_throttle_counters WHERE workflow_key = $1 AND step_id = $2 AND recipient_key = $3 AND throttle_key = $4 AND window_start = $5`,
          key,
        );
        result = { passed: false, count: row.passed };
      }
      if (!(await writeTransition(tx, held, transitionFor(result.passed, result.count)))) throw new Error(`workflow run ${held.id} changed under its row lock`);
      return result;
    });
  }

  async notificationOutcomes(ids: string[]): Promise<NotificationOutcomeState[]> {
    if (ids.length === 0) return [];
    const rows: Row[] = await this.db.query(
      `SELECT n.id, n.status, i.id IS NOT NULL AS inboxed, i.seen_at IS NOT NULL AS seen, i.read_at IS NOT NULL AS read
       FROM notifications n LEFT JOIN inbox_items i ON i.notification_id = n.id WHERE n.id = ANY($1::uuid[])`,
      [ids],
    );
    return rows.map((r) => ({ id: r.id, status: r.status, inboxed: r.inboxed, seen: r.seen, read: r.read }));
  }

  async find(id: string): Promise<WorkflowRun | null> {
    if (!UUID.test(id)) return null;
    const rows: Row[] = await this.db.query(`SELECT * FROM workflow_runs WHERE id = $1`, [id]);
    return rows[0] ? toRun(rows[0]) : null;
  }

  async list(filter: RunListFilter, after: ListPosition | null, limit: number): Promise<{ items: WorkflowRun[]; next: ListPosition | null }> {
    const params: unknown[] = [];
    const bind = (v: unknown) => (params.push(v), `$${params.length}`);
    const where: string[] = [];
    if (filter.workflowKey !== undefined) where.push(`workflow_key = ${bind(filter.workflowKey)}`);
    if (filter.userId !== undefined) where.push(`user_id = ${bind(filter.userId)}`);
    if (filter.status !== undefined) where.push(`status = ${bind(filter.status)}`);
    if (after) where.push(`(created_at, id) < (${bind(after.createdAt)}::timestamptz, ${bind(after.id)}::uuid)`);
    const rows: Row[] = await this.db.query(
      `SELECT *, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS list_position FROM workflow_runs
       ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, id DESC LIMIT ${bind(limit + 1)}`,
      params,
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return { items: page.map(toRun), next: rows.length > limit ? { createdAt: last.list_position, id: last.id } : null };
  }

  cancel(target: { workflowKey: string; runKey: string } | { runId: string }, reason: string): Promise<Array<{ runId: string; scheduledNotificationIds: string[] }>> {
    return this.db.transaction(async (tx) => {
      const [where, params] = 'runId' in target ? [`id = $2`, [target.runId]] : [`workflow_key = $2 AND run_key = $3`, [target.workflowKey, target.runKey]];
      // The revision moves on: a step under way in an engine finds its run changed and writes nothing.
      const rows = await updated(
        tx,
        `UPDATE workflow_runs SET status = 'cancelled', error = $1, finished_at = now(), due_at = NULL, lease_owner = NULL, lease_until = NULL,
           revision = revision + 1, updated_at = now(),
           steps = (SELECT jsonb_agg(CASE WHEN s->>'state' IN ('pending', 'waiting') THEN jsonb_set(s, '{state}', '"skipped"') ELSE s END ORDER BY n)
                    FROM jsonb_array_elements(steps) WITH ORDINALITY AS e(s, n))
         WHERE id IN (SELECT id FROM workflow_runs WHERE ${where} AND status IN ('running', 'waiting') ORDER BY id FOR UPDATE)
           AND status IN ('running', 'waiting')
         RETURNING id`,
        [reason, ...params],
      );
      const out: Array<{ runId: string; scheduledNotificationIds: string[] }> = [];
      for (const r of rows) {
        const scheduled: Row[] = await tx.query(scheduledOfRunQuery, [JSON.stringify({ workflowRun: r.id })]);
        out.push({ runId: r.id, scheduledNotificationIds: scheduled.map((s) => s.id) });
      }
      return out;
    });
  }
}
