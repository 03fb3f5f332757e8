import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Workflows (docs/workflows.md): versioned definitions, triggers, runs with their step state, digest windows
 * and throttle counters.
 * - `workflow_runs_due`: the engine's poll (runs that may execute, by due time) reads this partial index only;
 *   finished runs leave it.
 * - `workflow_triggers_idempotency`: one trigger per (source, idempotency key), so a replayed POST /v1/events
 *   never starts a second set of runs.
 * - `workflow_digest_windows_open`: at most one open window per workflow, step, recipient and digest key; an
 *   event joins it under its row lock, and the close is a conditional update of the same row.
 */
export class Workflows1764000800000 implements MigrationInterface {
  name = 'Workflows1764000800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE workflows (
        key text PRIMARY KEY,
        latest_version integer NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE workflow_versions (
        workflow_key text NOT NULL REFERENCES workflows(key),
        version integer NOT NULL,
        definition jsonb NOT NULL,
        definition_hash text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (workflow_key, version)
      )`);
    await q.query(`
      CREATE TABLE workflow_triggers (
        id uuid PRIMARY KEY,
        source text NOT NULL,
        idempotency_key text,
        request_hash text NOT NULL,
        workflow_key text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX workflow_triggers_idempotency ON workflow_triggers (source, idempotency_key) WHERE idempotency_key IS NOT NULL`);
    await q.query(`
      CREATE TABLE workflow_runs (
        id uuid PRIMARY KEY,
        trigger_id uuid NOT NULL REFERENCES workflow_triggers(id),
        ordinal integer NOT NULL,
        workflow_key text NOT NULL,
        workflow_version integer NOT NULL,
        run_key text,
        recipient jsonb NOT NULL,
        user_id text,
        payload jsonb NOT NULL,
        status text NOT NULL CHECK (status IN ('running', 'waiting', 'completed', 'cancelled', 'throttled', 'failed')),
        step_index integer NOT NULL DEFAULT 0,
        steps jsonb NOT NULL,
        digest jsonb,
        due_at timestamptz,
        lease_owner text,
        lease_until timestamptz,
        revision integer NOT NULL DEFAULT 0,
        error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz,
        FOREIGN KEY (workflow_key, workflow_version) REFERENCES workflow_versions (workflow_key, version)
      )`);
    await q.query(`CREATE INDEX workflow_runs_due ON workflow_runs (due_at) WHERE status IN ('running', 'waiting')`);
    await q.query(`CREATE INDEX workflow_runs_trigger ON workflow_runs (trigger_id, ordinal)`);
    await q.query(`CREATE INDEX workflow_runs_run_key ON workflow_runs (workflow_key, run_key) WHERE status IN ('running', 'waiting')`);
    await q.query(`CREATE INDEX workflow_runs_listing ON workflow_runs (created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX workflow_runs_by_workflow ON workflow_runs (workflow_key, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX workflow_runs_by_user ON workflow_runs (user_id, created_at DESC, id DESC)`);
    await q.query(`
      CREATE TABLE workflow_digest_windows (
        id uuid PRIMARY KEY,
        workflow_key text NOT NULL,
        step_id text NOT NULL,
        recipient_key text NOT NULL,
        digest_key text NOT NULL,
        state text NOT NULL CHECK (state IN ('open', 'closing', 'closed')),
        owner_run_id uuid REFERENCES workflow_runs(id),
        closes_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        closed_at timestamptz
      )`);
    await q.query(`CREATE UNIQUE INDEX workflow_digest_windows_open ON workflow_digest_windows (workflow_key, step_id, recipient_key, digest_key) WHERE state = 'open'`);
    await q.query(`
      CREATE TABLE workflow_digest_events (
        window_id uuid NOT NULL REFERENCES workflow_digest_windows(id),
        run_id uuid NOT NULL REFERENCES workflow_runs(id),
        payload jsonb NOT NULL,
        joined_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        PRIMARY KEY (window_id, run_id)
      )`);
    await q.query(`CREATE UNIQUE INDEX workflow_digest_events_run ON workflow_digest_events (run_id)`);
    await q.query(`
      CREATE TABLE workflow_throttle_counters (
        workflow_key text NOT NULL,
        step_id text NOT NULL,
        recipient_key text NOT NULL,
        throttle_key text NOT NULL,
        window_start timestamptz NOT NULL,
        passed integer NOT NULL,
        PRIMARY KEY (workflow_key, step_id, recipient_key, throttle_key, window_start)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE workflow_throttle_counters`);
    await q.query(`DROP TABLE workflow_digest_events`);
    await q.query(`DROP TABLE workflow_digest_windows`);
    await q.query(`DROP TABLE workflow_runs`);
    await q.query(`DROP TABLE workflow_triggers`);
    await q.query(`DROP TABLE workflow_versions`);
    await q.query(`DROP TABLE workflows`);
  }
}
