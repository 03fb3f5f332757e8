export const AUDIT_ACTIONS = [
  'api_key.created',
  'api_key.revoked',
  'suppression.added',
  'suppression.removed',
  'template.published',
  'category.changed',
  'preferences.changed',
  'notifications.redriven',
  'notifications.resent',
  'dead_letters.redriven',
  'fanout.started',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditEntry {
  /** The API key that acted; null for the CLI and configuration seeding. */
  keyId: string | null;
  action: AuditAction;
  /** What was acted on, e.g. `api_key:<id>`. */
  target: string;
  /** The state before and after, with secrets masked; null where there is none. */
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

/**
 * The entry a change records of itself, built from what the change's own transaction saw (the state before it and
 * after it): the store that makes the change writes the entry in that transaction, so neither is kept without the
 * other. Null records nothing: the change changed nothing (a replay of the same request).
 */
export type AuditOf<Change> = (change: Change) => AuditEntry | null;

export interface AuditRecord extends AuditEntry {
  id: string;
  at: Date;
}

export interface AuditFilter {
  action?: AuditAction;
  keyId?: string;
  from?: Date;
  /** Exclusive. */
  to?: Date;
}

/** Where an audit listing continues: after this entry (`createdAt` to the microsecond, as the store gives it). */
export interface AuditPosition {
  createdAt: string;
  id: string;
}

export abstract class AuditLog {
  abstract record(entry: AuditEntry): Promise<void>;
  /** Entries matching `filter`, newest first, `limit` at a time after `after`. */
  abstract list(filter: AuditFilter, limit: number, after: AuditPosition | null): Promise<{ items: AuditRecord[]; next: AuditPosition | null }>;
}
