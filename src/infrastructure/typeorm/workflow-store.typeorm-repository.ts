import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { WorkflowDefinition, WorkflowVersion } from '../../domain/workflows/workflow-definition';
import { WorkflowStore, type WorkflowSummary } from '../../domain/ports/workflow-store.port';

type Row = Record<string, any>;

function toVersion(r: Row): WorkflowVersion {
  return { key: r.workflow_key, version: r.version, definition: r.definition, createdAt: r.created_at };
}

@Injectable()
export class WorkflowStoreTypeormRepository extends WorkflowStore {
  constructor(@InjectDataSource() private readonly db: DataSource) {
    super();
  }

  publish(definition: WorkflowDefinition, definitionHash: string): Promise<{ version: WorkflowVersion; changed: boolean }> {
    return this.db.transaction(async (tx) => {
      // The workflow row's lock orders concurrent publishes: each compares with the latest version committed before it.
      await tx.query(`INSERT INTO workflows (key, latest_version) VALUES ($1, 0) ON CONFLICT (key) DO NOTHING`, [definition.key]);
      const [current]: Row[] = await tx.query(`SELECT latest_version FROM workflows WHERE key = $1 FOR UPDATE`, [definition.key]);
      if (current.latest_version > 0) {
        const [latest]: Row[] = await tx.query(`SELECT * FROM workflow_versions WHERE workflow_key = $1 AND version = $2`, [definition.key, current.latest_version]);
        if (latest.definition_hash === definitionHash) return { version: toVersion(latest), changed: false };
      }
      const version = current.latest_version + 1;
      await tx.query(`UPDATE workflows SET latest_version = $2, updated_at = now() WHERE key = $1`, [definition.key, version]);
      const [row]: Row[] = await tx.query(
        `INSERT INTO workflow_versions (workflow_key, version, definition, definition_hash) VALUES ($1, $2, $3::jsonb, $4) RETURNING *`,
        [definition.key, version, JSON.stringify(definition), definitionHash],
      );
      return { version: toVersion(row), changed: true };
    });
  }

  async find(key: string, version?: number): Promise<WorkflowVersion | null> {
    const rows: Row[] =
      version === undefined
        ? await this.db.query(`SELECT v.* FROM workflow_versions v JOIN workflows w ON w.key = v.workflow_key AND w.latest_version = v.version WHERE w.key = $1`, [key])
        : await this.db.query(`SELECT * FROM workflow_versions WHERE workflow_key = $1 AND version = $2`, [key, version]);
    return rows[0] ? toVersion(rows[0]) : null;
  }

  async list(after: string | null, limit: number): Promise<{ items: WorkflowSummary[]; nextCursor: string | null }> {
    const rows: Row[] = await this.db.query(
      `SELECT w.key, w.latest_version, w.updated_at, v.definition
       FROM workflows w JOIN workflow_versions v ON v.workflow_key = w.key AND v.version = w.latest_version
       WHERE ($1::text IS NULL OR w.key COLLATE "C" > $1) AND w.latest_version > 0
       ORDER BY w.key COLLATE "C" LIMIT $2`,
      [after, limit + 1],
    );
    const items = rows.slice(0, limit).map((r) => ({
      key: r.key as string,
      name: (r.definition.name as string | undefined) ?? null,
      category: (r.definition.category as string | undefined) ?? null,
      latestVersion: r.latest_version as number,
      stepCount: (r.definition.steps as unknown[]).length,
      updatedAt: r.updated_at as Date,
    }));
    return { items, nextCursor: rows.length > limit ? items[items.length - 1].key : null };
  }
}
