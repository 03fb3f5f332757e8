import type { WorkflowDefinition, WorkflowVersion } from '../workflows/workflow-definition';

export interface WorkflowSummary {
  key: string;
  name: string | null;
  category: string | null;
  latestVersion: number;
  stepCount: number;
  updatedAt: Date;
}

/** Versioned workflow definitions. */
export abstract class WorkflowStore {
  /**
   * Stores the definition as the next version (version 1 for a new workflow), unless it equals the latest
   * version, which is then returned with `changed: false`.
   */
  abstract publish(definition: WorkflowDefinition, definitionHash: string): Promise<{ version: WorkflowVersion; changed: boolean }>;
  /** The given version, or the latest one. */
  abstract find(key: string, version?: number): Promise<WorkflowVersion | null>;
  /** Workflows in key order (byte order): keyset pagination after a key. */
  abstract list(after: string | null, limit: number): Promise<{ items: WorkflowSummary[]; nextCursor: string | null }>;
}
